using System.Text;
using ReputationMonitor.Configuration;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// Reputation:EntitySnapshotInterval: an entity's statistics are published at most once per interval; changes within it
/// are published together when it ends, with the statistics as they are then; a change of status is published at once.
/// </summary>
public sealed class PublicationIntervalTests
{
    private const string Account = "981000000001";
    private readonly ManualClock _clock = new(T0.AddHours(1));
    private readonly ManualClock _domainClock = new(T0.AddHours(1));
    private readonly ReputationEngine _engine;
    private readonly ReputationEngineSettings _settings;
    private readonly ChangeloggedEntries _entries = new();
    private readonly InputParser _attempts, _events;

    public PublicationIntervalTests()
    {
        var settings = _settings = new ReputationEngineSettings
        {
            Topics = new KafkaOptions().AllTopics(), Clock = _domainClock, ProcessingClock = _clock, MaxFutureSkew = TimeSpan.FromDays(3650),
            EntitySnapshotInterval = TimeSpan.FromSeconds(5),
        };
        _engine = new ReputationEngine(settings, _entries, ledgersWriteThrough: true);
        _attempts = InputParser.For(InputTable.Sources(settings.Topics).Single(s => s.Kind == InputKind.SendAttempts), settings);
        _events = InputParser.For(InputTable.Sources(settings.Topics).Single(s => s.Kind == InputKind.SesEvents), settings);
    }

    [Fact]
    public void Changes_within_the_interval_are_published_once_when_it_ends_with_the_statistics_as_they_are_then()
    {
        var attempts = OperatorScenario.Attempts(Account);
        Send(attempts[1]);
        var first = Tick();
        Assert.Equal(1, Sent(first)); // first time: at once
        var entities = first.Count(o => o.Value.Entity is not null);
        Assert.True(entities >= 5, $"the account's dimensions are published with it ({entities})");

        foreach (var second in new[] { 1, 2, 4 })
        {
            At(second);
            Send(attempts[second + 1]);
            Assert.DoesNotContain(Tick(), o => o.Value.Snapshot is not null || o.Value.Entity is not null);
        }

        At(5);
        var due = Tick(); // nothing new since: the owed publication alone
        Assert.Equal(4, Sent(due));
        Assert.Equal(entities, due.Count(o => o.Value.Entity is not null));
        At(11);
        Assert.DoesNotContain(Tick(), o => o.Value.Snapshot is not null || o.Value.Entity is not null); // owed once, not again
    }

    [Fact]
    public void The_interval_is_processing_time_whatever_the_domain_clock_does()
    {
        var attempts = OperatorScenario.Attempts(Account);
        Send(attempts[1]);
        Assert.Equal(1, Sent(Tick()));
        Send(attempts[2]);
        _domainClock.Advance(TimeSpan.FromHours(2)); // a deadline's clock moving on does not end the interval
        Assert.DoesNotContain(Tick(), o => o.Value.Snapshot is not null);
        At(5); // processing time does, with the domain clock held still from here on
        Assert.Equal(2, Sent(Tick()));
    }

    [Fact]
    public void A_publication_owed_when_the_partition_moves_is_made_by_its_next_owner()
    {
        var attempts = OperatorScenario.Attempts(Account);
        Send(attempts[1]);
        Assert.Equal(1, Sent(Tick()));
        Send(attempts[2]);
        Assert.DoesNotContain(Tick(), o => o.Value.Snapshot is not null); // owed, and then the instance dies
        _engine.FlushState(); // its last commit: the state holds the second send

        var next = new ReputationEngine(_settings, _entries, ledgersWriteThrough: true); // the next owner, over the restored state
        var first = Tick(next);
        Assert.Equal(2, Sent(first)); // nothing changed for it, but the publication was owed
        Assert.True(first.Count(o => o.Value.Entity is not null) >= 5, "the account's dimensions were owed too");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Tick(next), o => o.Value.Snapshot is not null || o.Value.Entity is not null); // made once
        Assert.Empty(Owed());
    }

    [Fact]
    public void A_ticks_deferrals_are_recorded_as_one_batch_removed_when_the_last_is_made()
    {
        string[] accounts = ["981000000001", "981000000002", "981000000003"];
        var attempts = accounts.ToDictionary(a => a, a => OperatorScenario.Attempts(a, ids: a));
        foreach (var account in accounts) Send(attempts[account][1]);
        Tick();
        foreach (var account in accounts) Send(attempts[account][2]);
        var deferred = Tick();
        Assert.DoesNotContain(deferred, o => o.Value.Snapshot is not null);
        _engine.FlushState();

        var owed = Owed();
        var batch = Assert.Single(owed); // three accounts and their dimensions: one record
        var keys = StateCodec.Decode<string[]>(batch.Value);
        Assert.Equal(accounts.Select(a => ReputationStateStore.AccountPrefix + a).Order(), keys.Where(k => k.StartsWith("a/")).Order());
        Assert.True(keys.Length >= 3 * 6, $"the accounts' dimensions are in the batch ({keys.Length} keys)");

        At(5);
        Assert.Equal(3, Tick().Count(o => o.Value.Snapshot is not null));
        _engine.FlushState();
        Assert.Empty(Owed());
    }

    [Fact]
    public void An_owed_record_of_the_layout_before_batches_is_published_and_one_that_does_not_read_is_dropped()
    {
        Send(OperatorScenario.Attempts(Account)[1]);
        Tick();
        _engine.FlushState();
        _entries.Put(ReputationStateStore.OwedPrefix + ReputationStateStore.AccountPrefix + Account, [1]);
        _entries.Put(ReputationStateStore.OwedPrefix + "@1-0", [0xc1, 0xff]);

        var next = new ReputationEngine(_settings, _entries, ledgersWriteThrough: true);
        Assert.Equal(1, Sent(Tick(next)));
        next.FlushState();
        Assert.Empty(Owed());
    }

    private List<KeyValuePair<string, byte[]>> Owed() =>
        [.. _entries.All().Where(e => e.Key.StartsWith(ReputationStateStore.OwedPrefix, StringComparison.Ordinal))];

    [Fact]
    public void A_change_of_status_is_published_at_once_within_the_interval()
    {
        foreach (var attempt in OperatorScenario.Attempts(Account)) Send(attempt);
        Assert.Equal("healthy", Tick().Single(o => o.Value.Snapshot is not null).Value.Snapshot!.Status);

        At(1);
        foreach (var e in OperatorScenario.Events(Account)) _engine.Process(_events.Parse(Encoding.UTF8.GetBytes(e)).Input!);
        var snapshot = Tick().Single(o => o.Value.Snapshot is not null).Value.Snapshot!;
        Assert.Equal("under_review", snapshot.Status);
        Assert.Equal(OperatorScenario.Bounces, snapshot.Totals["hardBounces"]);
    }

    [Fact]
    public void The_schedule_keeps_only_what_the_last_interval_published_or_still_owes()
    {
        var schedule = new PublicationSchedule<string>(intervalMs: 5_000);
        foreach (var id in Enumerable.Range(0, 1000).Select(i => $"a{i}")) Assert.True(schedule.Publish(id, 0, "healthy"));
        Assert.False(schedule.Publish("a1", 1_000, "healthy")); // owed, due at 5 s
        Assert.True(schedule.Publish("a2", 1_000, "paused")); // a change of status: at once

        schedule.ForgetPast(5_500);
        Assert.Equal(2, schedule.Remembered); // a1 (owed) and a2 (published within the interval), not the 998 others
        Assert.Equal(["a1"], schedule.TakeDue(5_500)); // what was owed survives the forgetting
        Assert.True(schedule.Publish("a1", 5_500, "healthy"));
        Assert.False(schedule.Publish("a2", 5_600, "paused")); // published at 1 s: kept, still holds back
        schedule.ForgetPast(11_000);
        Assert.Equal(1, schedule.Remembered); // a2, still owed
        Assert.True(schedule.Publish("a999", 11_000, "healthy")); // forgotten: published at its next change, as it would be
        Assert.Equal(["a2"], schedule.TakeDue(11_000));
    }

    /// <summary>Moves the clock to <paramref name="seconds"/> after the first tick.</summary>
    private void At(double seconds) => _clock.Advance(T0.AddHours(1).AddSeconds(seconds) - _clock.GetUtcNow());

    private void Send(string attempt) => _engine.Process(_attempts.Parse(Encoding.UTF8.GetBytes(attempt)).Input!);

    private List<EngineOutput> Tick() => Tick(_engine);

    private static List<EngineOutput> Tick(ReputationEngine engine)
    {
        var outputs = new List<EngineOutput>();
        do outputs.AddRange(engine.Tick());
        while (engine.TickInProgress);
        return outputs;
    }

    private static long Sent(List<EngineOutput> outputs) => outputs.Single(o => o.Value.Snapshot is not null).Value.Snapshot!.Totals["sent"];
}
