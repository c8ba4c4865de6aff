using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// Aggregates must not depend on arrival order or on duplicates: any permutation of the same records, with
/// any subset of them delivered twice, yields the same window totals (overall, per provider, per dimension).
/// </summary>
public sealed class OrderIndependenceProperties
{
    [Property(Arbitrary = [typeof(ScenarioArbitrary)], MaxTest = 200)]
    public bool Any_order_with_duplicates_gives_the_same_window_totals(Scenario scenario)
    {
        var expected = Run(scenario.Canonical);
        var actual = Run(scenario.Delivered);
        return expected == actual;
    }

    [Fact]
    public void The_property_can_fail_double_counting_would_be_seen()
    {
        // Guard against a vacuous property: a stream that counts a duplicate twice does differ.
        var s = ScenarioArbitrary.Build(seed: 7);
        var withSecondAttemptId = s.Append(Clone(s.First(e => e.Kind == EventKind.Bounce), "other-message")).ToList();
        Assert.NotEqual(Run(s), Run(withSecondAttemptId));
    }

    private static NormalizedEvent Clone(NormalizedEvent e, string messageId) => new()
    {
        Kind = e.Kind, MessageId = messageId, AccountId = e.AccountId, EventKey = e.EventKey + "x", TimestampMs = e.TimestampMs,
        MailTimestampMs = e.MailTimestampMs, Destinations = e.Destinations, Recipients = e.Recipients, BounceType = e.BounceType,
        BounceSubType = e.BounceSubType, ConfigurationSet = e.ConfigurationSet, Accepted = true,
    };

    private static string Run(IEnumerable<NormalizedEvent> records)
    {
        var counters = new WindowedCounters(new WindowOptions());
        var joiner = new MessageJoiner(ProviderDirectory.Default, SmtpResponseClassifier.Default, new JoinOptions { MaxPendingEventsPerMessage = 1000 });
        var account = new AccountAggregate { AccountId = ScenarioArbitrary.Account };
        var dims = new Dictionary<string, EntityWindows>();
        var sink = new AccountAttribution(counters, account,
            k => dims.TryGetValue(k.Dimension, out var w) ? w : dims[k.Dimension] = new EntityWindows(), k => dims.Remove(k.Dimension));
        var ledgers = new Dictionary<string, MessageLedger>();
        foreach (var e in records)
        {
            if (!ledgers.TryGetValue(e.MessageId!, out var ledger))
                ledgers[e.MessageId!] = ledger = new MessageLedger { MessageId = e.MessageId!, AccountId = e.AccountId };
            joiner.Apply(ledger, e, sink, horizonMs: long.MinValue, wallNowMs: 0);
        }
        foreach (var ledger in ledgers.Values) joiner.FallBack(ledger, sink);

        // A canonical text of every total: overall, per provider, per dimension, both windows.
        var parts = new List<string>();
        void Describe(string name, EntityWindows w)
        {
            foreach (var kind in new[] { WindowKind.Short, WindowKind.Long })
            {
                var s = counters.Snapshot(w, kind);
                parts.Add($"{name}/{kind}:{string.Join(',', s.Totals.Values)}");
                for (var p = 0; p < Providers.Count; p++) parts.Add($"{name}/{kind}/{p}:{string.Join(',', s.ByProvider[p].Values)}");
            }
        }
        Describe("account", account.Windows);
        foreach (var (k, w) in dims.OrderBy(d => d.Key, StringComparer.Ordinal)) Describe(k, w);
        return string.Join('\n', parts);
    }
}

public sealed record Scenario(IReadOnlyList<NormalizedEvent> Canonical, IReadOnlyList<NormalizedEvent> Delivered)
{
    public override string ToString() => $"{Canonical.Count} records, delivered as {Delivered.Count}: " +
        string.Join(' ', Delivered.Select(e => $"{e.Kind}:{e.MessageId}"));
}

public static class ScenarioArbitrary
{
    public const string Account = "acct";
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private static readonly string[] Mailboxes =
        ["a@gmail.com", "b@yahoo.com", "c@outlook.com", "d@corp.example", "e@icloud.com", "f@comcast.net", "bounce@simulator.amazonses.com"];

    public static Arbitrary<Scenario> Scenarios() =>
        (from seed in Gen.Choose(0, 1_000_000)
         let records = Build(seed)
         from duplicates in Gen.SubListOf((IEnumerable<NormalizedEvent>)records)
         from order in Gen.Shuffle(records.Concat(duplicates).ToArray())
         select new Scenario(records, order)).ToArbitrary();

    /// <summary>1–12 messages of 1–3 recipients each, with attempts, Send events and feedback within 90 minutes.</summary>
    public static List<NormalizedEvent> Build(int seed)
    {
        var rnd = new Random(seed);
        var records = new List<NormalizedEvent>();
        var messages = rnd.Next(1, 13);
        for (var m = 0; m < messages; m++)
        {
            var id = $"m{seed}-{m}";
            var to = Mailboxes.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4)).ToArray();
            var sentAt = T0 + rnd.Next(0, 90) * 60_000L;
            var config = rnd.Next(2) == 0 ? "marketing" : "receipts";
            NormalizedEvent E(EventKind kind, long at, string key) => new()
            {
                Kind = kind, MessageId = id, AccountId = Account, EventKey = $"{kind}:{id}:{key}", TimestampMs = at,
                MailTimestampMs = sentAt, Destinations = to, ConfigurationSet = config, FromDomain = "news.example", Accepted = true,
            };
            var path = rnd.Next(10);
            if (path < 7) records.Add(E(EventKind.Attempt, sentAt, "a"));
            if (path is >= 4 and < 9) records.Add(E(EventKind.Send, sentAt, "s"));
            foreach (var r in to)
            {
                var at = sentAt + rnd.Next(1, 30) * 60_000L;
                RecipientDetail[] Rcpt(string? diagnostic = null) => [new RecipientDetail { Email = r, Diagnostic = diagnostic }];
                switch (rnd.Next(7))
                {
                    case 0:
                        records.Add(E(EventKind.Delivery, at, r).With(e => e.Recipients = Rcpt("250 OK")));
                        break;
                    case 1:
                        records.Add(E(EventKind.Bounce, at, r).With(e => { e.BounceType = "Permanent"; e.BounceSubType = "General"; e.Recipients = Rcpt("550 5.1.1 user unknown"); }));
                        break;
                    case 2:
                        records.Add(E(EventKind.Bounce, at, r).With(e => { e.BounceType = "Transient"; e.BounceSubType = "MailboxFull"; e.Recipients = Rcpt("452 4.2.2 mailbox full"); }));
                        break;
                    case 3:
                        records.Add(E(EventKind.Bounce, at, r).With(e => { e.BounceType = "Permanent"; e.BounceSubType = "OnAccountSuppressionList"; e.Recipients = Rcpt(); }));
                        break;
                    case 4:
                        records.Add(E(EventKind.DeliveryDelay, at, r + "d").With(e => e.Recipients = Rcpt("421 4.7.0 [TSS04] Messages temporarily deferred due to user complaints")));
                        records.Add(E(EventKind.Delivery, at + 600_000, r).With(e => e.Recipients = Rcpt("250 OK")));
                        break;
                    case 5:
                        records.Add(E(EventKind.Delivery, at, r).With(e => e.Recipients = Rcpt("250 OK")));
                        records.Add(E(EventKind.Complaint, at + 3_600_000, r).With(e => { e.ComplaintFeedbackType = "abuse"; e.Recipients = Rcpt(); }));
                        break;
                    default:
                        break; // no feedback yet
                }
            }
            if (rnd.Next(20) == 0) records.Add(E(EventKind.Reject, sentAt + 1000, "rej"));
        }
        return records;
    }

    // NormalizedEvent is a mutable class (it is deserialised on the hot path); this keeps the builder readable.
    private static NormalizedEvent With(this NormalizedEvent e, Action<NormalizedEvent> set)
    {
        set(e);
        return e;
    }
}
