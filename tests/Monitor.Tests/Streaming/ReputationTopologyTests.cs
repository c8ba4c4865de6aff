using System.Text;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Kafka;
using ReputationMonitor.Tests.Support;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.StreamizRuntime;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The join and aggregation, through the real topology, with Streamiz's TopologyTestDriver.</summary>
public sealed class ReputationTopologyTests : IDisposable
{
    private const string Account = "111122223333";
    private readonly ManualClock _clock = new(T0);
    private readonly TopologyTestDriver _driver;
    private readonly TestInputTopic<byte[], byte[]> _attempts;
    private readonly TestInputTopic<byte[], byte[]> _events;
    private readonly Topics _topics = new KafkaOptions().AllTopics();
    private readonly RuleBook _rules = new(RuleSet.Defaults);

    public ReputationTopologyTests()
    {
        var settings = new ReputationEngineSettings { Topics = _topics, Clock = _clock, Rules = _rules, MaxFutureSkew = TimeSpan.FromDays(3650) };
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes> { ApplicationId = "topology-test" };
        _driver = new TopologyTestDriver(ReputationTopology.Build(settings), config);
        _attempts = _driver.CreateInputTopic<byte[], byte[]>(_topics.SendAttempts);
        _events = _driver.CreateInputTopic<byte[], byte[]>(_topics.Events);
    }

    public void Dispose() => _driver.Dispose();

    /// <summary>The store as a commit leaves it (the transformer writes its state behind, at each commit).</summary>
    private static AccountAggregate? ReadAccount(Streamiz.Kafka.Net.State.IReadOnlyKeyValueStore<string, byte[]> store, string accountId) =>
        store.Get(ReputationStateStore.AccountPrefix + accountId) is { } b ? StateCodec.Decode<AccountAggregate>(b) : null;

    private Streamiz.Kafka.Net.State.IReadOnlyKeyValueStore<string, byte[]> CommittedStore()
    {
        _driver.Commit();
        return _driver.GetKeyValueStore<string, byte[]>(Topics.StateStore);
    }

    private void Attempt(string json) => _attempts.PipeInput(null!, Encoding.UTF8.GetBytes(json));
    private void Event(string json) => _events.PipeInput(null!, Encoding.UTF8.GetBytes(json));

    private CounterSet Totals()
    {
        var agg = ReadAccount(CommittedStore(), Account)
            ?? throw new Xunit.Sdk.XunitException("no aggregate for the account");
        return new WindowedCounters(new WindowOptions()).Snapshot(agg.Windows).Totals;
    }

    [Fact]
    public void Attempt_then_events_counts_each_recipient_once()
    {
        Attempt(SesJson.Attempt("m1", Account, T0, "a@gmail.com", "b@yahoo.com"));
        Event(Send("m1", Account, T0, "a@gmail.com", "b@yahoo.com"));
        Event(Delivery("m1", Account, T0, T0.AddSeconds(2), "a@gmail.com"));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(3), "b@yahoo.com"));

        var t = Totals();
        Assert.Equal(2, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.Delivered]);
        Assert.Equal(1, t[Counters.HardBounces]);
    }

    [Fact]
    public void Duplicated_records_never_count_twice()
    {
        var attempt = SesJson.Attempt("m1", Account, T0, "a@gmail.com", "b@yahoo.com");
        var bounce = Bounce("m1", Account, T0, T0.AddSeconds(3), "b@yahoo.com");
        var complaint = Complaint("m1", Account, T0, T0.AddHours(1), "a@gmail.com");
        foreach (var _ in Enumerable.Range(0, 3))
        {
            Attempt(attempt);
            Event(Send("m1", Account, T0, "a@gmail.com", "b@yahoo.com"));
            Event(bounce);
            Event(complaint);
        }

        var t = Totals();
        Assert.Equal(2, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.HardBounces]);
        Assert.Equal(1, t[Counters.Complaints]);
    }

    [Fact]
    public void Events_before_their_attempt_wait_and_use_the_attempt()
    {
        Event(Bounce("m1", Account, T0, T0.AddSeconds(3), "b@yahoo.com", to: ["a@gmail.com", "b@yahoo.com"]));
        Event(Delivery("m1", Account, T0, T0.AddSeconds(2), "a@gmail.com", to: ["a@gmail.com", "b@yahoo.com"]));
        // Nothing is counted while the events wait for their attempt.
        Assert.Null(ReadAccount(CommittedStore(), Account));

        Attempt(SesJson.Attempt("m1", Account, T0, "a@gmail.com", "b@yahoo.com"));

        var t = Totals();
        Assert.Equal(2, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.Delivered]);
        Assert.Equal(1, t[Counters.HardBounces]);
    }

    [Fact]
    public void Missing_attempt_falls_back_to_the_events_mail_object_after_the_grace_period()
    {
        Event(Bounce("m1", Account, T0, T0.AddSeconds(3), "b@yahoo.com", to: ["a@gmail.com", "b@yahoo.com"]));
        // Another message, ten minutes later in event time, moves stream time past the 5-minute grace.
        Attempt(SesJson.Attempt("m2", Account, T0.AddMinutes(10), "c@outlook.com"));

        var t = Totals();
        Assert.Equal(3, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.HardBounces]);
    }

    [Fact]
    public void Missing_attempt_falls_back_once_the_grace_period_has_passed_on_the_wall_clock_too()
    {
        Event(Bounce("m1", Account, T0, T0.AddSeconds(3), "b@yahoo.com", to: ["a@gmail.com", "b@yahoo.com"]));
        _clock.Advance(TimeSpan.FromMinutes(4)); // stream time barely moves below: only the wall clock can expire the wait
        Attempt(SesJson.Attempt("m2", Account, T0.AddSeconds(10), "c@outlook.com"));
        Assert.Equal(1, Totals()[Counters.Sent]); // 4 of the 5 minutes: still waiting

        _clock.Advance(TimeSpan.FromMinutes(2));
        Attempt(SesJson.Attempt("m3", Account, T0.AddSeconds(11), "d@outlook.com"));
        var t = Totals();
        Assert.Equal(4, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.HardBounces]);
    }

    [Fact]
    public void Soft_bounces_account_suppression_and_the_mailbox_simulator_do_not_move_the_bounce_rate()
    {
        Attempt(SesJson.Attempt("m1", Account, T0, "a@gmail.com", "b@yahoo.com", "bounce@simulator.amazonses.com"));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(1), "a@gmail.com", type: "Transient", subType: "MailboxFull",
            diagnostic: "452-4.2.2 The recipient's inbox is out of storage space."));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(1), "b@yahoo.com", subType: "OnAccountSuppressionList"));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(1), "bounce@simulator.amazonses.com"));

        var t = Totals();
        Assert.Equal(2, t[Counters.Sent]);
        Assert.Equal(0, t[Counters.HardBounces]);
        Assert.Equal(1, t[Counters.SoftBounces]);
        Assert.Equal(1, t[Counters.Suppressed]);
    }

    [Fact]
    public void A_custom_domain_hosted_by_google_moves_to_gmail_with_its_sent_count()
    {
        Attempt(SesJson.Attempt("m1", Account, T0, "ceo@acme-corp.example", "x@acme-corp.example"));
        Event(Delivery("m1", Account, T0, T0.AddSeconds(1), "ceo@acme-corp.example", smtpResponse: "250 2.0.0 OK 1763630103 a1b2c3-12345.45 - gsmtp"));

        var store = CommittedStore();
        var w = new WindowedCounters(new WindowOptions()).Snapshot(ReadAccount(store, Account)!.Windows);
        Assert.Equal(1, w.ByProvider[Providers.Gmail][Counters.Sent]);
        Assert.Equal(1, w.ByProvider[Providers.Gmail][Counters.Delivered]);
        Assert.Equal(1, w.ByProvider[Providers.Other][Counters.Sent]);
        Assert.Equal(2, w.Totals[Counters.Sent]);
    }

    [Fact]
    public void Hard_bounces_and_complaints_build_the_suppression_list_and_later_sends_to_it_count_as_suppressed()
    {
        var suppressions = _driver.CreateOutputTopic<string, byte[]>(_topics.Suppressions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
        Attempt(SesJson.Attempt("m1", Account, T0, "gone@gmail.com", "angry@yahoo.com", "fine@outlook.com"));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(5), "gone@gmail.com", to: ["gone@gmail.com", "angry@yahoo.com", "fine@outlook.com"]));
        Event(Bounce("m1", Account, T0, T0.AddSeconds(5), "gone@gmail.com", to: ["gone@gmail.com", "angry@yahoo.com", "fine@outlook.com"]));
        Event(Complaint("m1", Account, T0, T0.AddMinutes(5), "angry@yahoo.com", to: ["gone@gmail.com", "angry@yahoo.com", "fine@outlook.com"]));

        var changes = suppressions.ReadKeyValueList().Select(r => System.Text.Json.JsonDocument.Parse(r.Message.Value).RootElement).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal(("gone@gmail.com", "BOUNCE", "added", "m1"), (changes[0].GetProperty("email").GetString(),
            changes[0].GetProperty("reason").GetString(), changes[0].GetProperty("action").GetString(), changes[0].GetProperty("messageId").GetString()));
        Assert.Equal(("angry@yahoo.com", "COMPLAINT"), (changes[1].GetProperty("email").GetString(), changes[1].GetProperty("reason").GetString()));

        Attempt(SesJson.Attempt("m2", Account, T0.AddHours(1), "gone@gmail.com", "fine@outlook.com"));
        var t = Totals();
        Assert.Equal(5, t[Counters.Sent]);
        Assert.Equal(1, t[Counters.Suppressed]);
        Assert.Equal(1, t[Counters.HardBounces]);
    }

    [Fact]
    public void Configuration_sets_and_tenants_have_their_own_status()
    {
        var actions = _driver.CreateOutputTopic<string, byte[]>(_topics.Actions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
        for (var i = 0; i < 600; i++)
        {
            var dirty = i % 2 == 0;
            var id = $"cs-{i}";
            var to = $"u{i}@gmail.com";
            Attempt(SesJson.AttemptFrom(id, Account, T0.AddSeconds(i), [to], configurationSet: dirty ? "promo" : "receipts", tenant: dirty ? "shop-a" : "shop-b"));
        }
        for (var i = 0; i < 600; i += 2)
            if (i % 8 == 0) Event(Bounce($"cs-{i}", Account, T0.AddSeconds(i), T0.AddSeconds(i + 60), $"u{i}@gmail.com"));

        // 75 of the 300 "promo" recipients bounced (25 %): promo and shop-a paused; the account (12.5 %) paused too; receipts untouched.
        var decisions = actions.ReadKeyValueList().Select(r => (r.Message.Key, Doc: System.Text.Json.JsonDocument.Parse(r.Message.Value).RootElement))
            .Where(d => d.Doc.GetProperty("kind").GetString() == "transition").ToList();
        string? Last(string key) => decisions.LastOrDefault(d => d.Key == key).Doc is { ValueKind: System.Text.Json.JsonValueKind.Object } doc
            ? doc.GetProperty("to").GetString() : null;
        Assert.Equal("paused", Last($"configuration-set:{Account}/promo"));
        Assert.Equal("paused", Last($"tenant:{Account}/shop-a"));
        Assert.Null(Last($"configuration-set:{Account}/receipts"));
        Assert.Null(Last($"tenant:{Account}/shop-b"));
        Assert.Equal("paused", Last($"account:{Account}"));
        var scopes = decisions.Select(d => d.Doc.GetProperty("scope").GetString()).Distinct().OrderBy(x => x).ToList();
        Assert.Equal(["account", "configuration-set", "tenant"], scopes);
    }

    [Fact]
    public void Reloaded_rules_apply_at_the_next_record_and_keep_all_counts()
    {
        var actions = _driver.CreateOutputTopic<string, byte[]>(_topics.Actions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
        for (var i = 0; i < 300; i++) Attempt(SesJson.AttemptFrom($"r{i}", Account, T0.AddSeconds(i), [$"u{i}@gmail.com"], configurationSet: ""));
        for (var i = 0; i < 12; i++) Event(Bounce($"r{i}", Account, T0.AddSeconds(i), T0.AddSeconds(i + 60), $"u{i}@gmail.com"));
        Assert.Empty(actions.ReadKeyValueList());                        // 4 %: under the SES review threshold

        _rules.Replace(RuleSet.From(new ReputationOptions { Thresholds = new Core.Model.RateThresholds { BounceReview = 0.03, BouncePause = 0.08 } }));
        Event(Delivery("r100", Account, T0.AddSeconds(100), T0.AddSeconds(160), "u100@gmail.com"));

        var decision = System.Text.Json.JsonDocument.Parse(Assert.Single(actions.ReadKeyValueList()).Message.Value).RootElement;
        Assert.Equal(("under_review", "bounce-rate-review"), (decision.GetProperty("to").GetString(), decision.GetProperty("rule").GetString()));
        Assert.Equal(0.03, decision.GetProperty("evidence").GetProperty("threshold").GetProperty("value").GetDouble());
        Assert.Equal(300, Totals()[Counters.Sent]);
    }

    [Fact]
    public void Malformed_records_go_to_the_dlq_with_reason_and_source_topic_and_processing_continues()
    {
        var dlq = _driver.CreateOutputTopic<byte[], byte[]>(_topics.Dlq);
        _events.PipeInput(Encoding.UTF8.GetBytes("k1"), Encoding.UTF8.GetBytes("{not json"));
        _attempts.PipeInput(null!, Encoding.UTF8.GetBytes("{\"outcome\":\"accepted\",\"accountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"}"));
        Attempt(SesJson.Attempt("m1", Account, T0, "a@gmail.com"));

        var records = dlq.ReadKeyValueList().ToList();
        Assert.Equal(2, records.Count);
        var first = records[0].Message;
        Assert.Equal("k1", Encoding.UTF8.GetString(first.Key));
        Assert.Equal("{not json", Encoding.UTF8.GetString(first.Value));
        Assert.StartsWith("invalid_json", Encoding.UTF8.GetString(first.Headers.GetLastBytes("reason")));
        Assert.Equal(_topics.Events, Encoding.UTF8.GetString(first.Headers.GetLastBytes("source-topic")));
        Assert.StartsWith("missing_message_id", Encoding.UTF8.GetString(records[1].Message.Headers.GetLastBytes("reason")));
        Assert.Equal(1, Totals()[Counters.Sent]);
    }

    /// <summary>Counters and decisions of a scenario, as the stream publishes them.</summary>
    private static (long[] Totals, string[] Decisions) Run(IEnumerable<(bool IsAttempt, string Json)> records)
    {
        using var t = new ReputationTopologyTests();
        var actions = t._driver.CreateOutputTopic<string, byte[]>(t._topics.Actions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
        foreach (var (isAttempt, json) in records)
            if (isAttempt) t.Attempt(json); else t.Event(json);
        var decisions = actions.ReadKeyValueList().Select(r => System.Text.Json.JsonDocument.Parse(r.Message.Value).RootElement)
            .Where(d => d.GetProperty("kind").GetString() == "transition")
            .Select(d => $"{d.GetProperty("scope").GetString()}:{d.GetProperty("entity").GetString()}:{d.GetProperty("to").GetString()}:{d.GetProperty("decisionId").GetString()}")
            .Order().ToArray();
        return (t.Totals().Values.ToArray(), decisions);
    }

    [Fact]
    public void Every_record_duplicated_and_shuffled_within_the_lateness_gives_the_same_counts_and_decisions()
    {
        // 300 sends, 8 % hard bounces (review), complaints, delays; feedback within minutes of its send.
        var records = new List<(bool, string)>();
        for (var i = 0; i < 300; i++)
        {
            var id = $"dup-{i:D3}";
            var at = T0.AddSeconds(i * 2);
            var to = $"u{i}@{(i % 3 == 0 ? "yahoo.com" : "gmail.com")}";
            records.Add((true, SesJson.Attempt(id, Account, at, to)));
            records.Add((false, i % 12 == 0 ? Bounce(id, Account, at, at.AddSeconds(30), to)
                : i % 50 == 1 ? Complaint(id, Account, at, at.AddMinutes(3), to)
                : Delivery(id, Account, at, at.AddSeconds(20), to)));
        }
        var straight = Run(records);

        // Every record twice, shuffled within windows of 40 records (~80 s of traffic, inside the 5 min grace).
        var random = new Random(7);
        var messy = records.SelectMany(r => new[] { r, r }).Chunk(40).SelectMany(c => c.OrderBy(_ => random.Next())).ToList();
        var replayed = Run(messy);

        Assert.Equal(straight.Totals, replayed.Totals);
        Assert.Equal(straight.Decisions, replayed.Decisions);
        Assert.Equal(300, straight.Totals[Counters.Sent]);
        Assert.Equal(25, straight.Totals[Counters.HardBounces]);
        Assert.Contains(straight.Decisions, d => d.StartsWith($"account:{Account}:under_review:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Events_older_than_the_window_are_counted_as_late_and_change_no_closed_window(bool feedbackFirst)
    {
        var before = ReputationMonitor.Engine.Observability.EngineMetrics.LateEvents.Value;
        Attempt(SesJson.Attempt("now", Account, T0.AddHours(30), "a@gmail.com"));
        var totals = Totals();

        // A message from 30 hours before stream time: outside the 24 h window, so it changes nothing.
        if (feedbackFirst) Event(Bounce("old", Account, T0, T0.AddMinutes(1), "b@gmail.com"));
        Attempt(SesJson.Attempt("old", Account, T0, "b@gmail.com"));
        if (!feedbackFirst) Event(Bounce("old", Account, T0, T0.AddMinutes(1), "b@gmail.com"));

        Assert.Equal(totals.Values, Totals().Values);
        Assert.Equal(1, Totals()[Counters.Sent]);
        var agg = ReadAccount(CommittedStore(), Account)!;
        Assert.Equal(2, agg.LateEvents); // its send and its bounce
        Assert.True(ReputationMonitor.Engine.Observability.EngineMetrics.LateEvents.Value - before >= 2); // process-wide: other tests may add
    }
}
