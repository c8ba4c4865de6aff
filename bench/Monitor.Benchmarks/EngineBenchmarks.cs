using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Benchmarks;

/// <summary>
/// The core engine without Kafka: join an attempt with its feedback, count into the account's and dimensions'
/// windows, then evaluate the rate rules — per message (one attempt + one outcome event).
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int Messages = 10_000;
    private readonly NormalizedEvent[] _attempts = new NormalizedEvent[Messages];
    private readonly NormalizedEvent[] _outcomes = new NormalizedEvent[Messages];
    private static readonly string[] Domains = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "example.org"];

    [GlobalSetup]
    public void Build()
    {
        var t0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
        for (var i = 0; i < Messages; i++)
        {
            var to = $"u{i}@{Domains[i % Domains.Length]}";
            var at = t0 + i * 50L;
            _attempts[i] = new NormalizedEvent
            {
                Kind = EventKind.Attempt, AccountId = "100000000001", MessageId = $"m{i}", EventKey = $"a{i}", TimestampMs = at,
                MailTimestampMs = at, Accepted = true, Destinations = [to], ConfigurationSet = "marketing", FromDomain = "mail.example.com",
                SendingIp = "192.0.2.10", SendingPool = "shared-1",
            };
            var bounce = i % 50 == 0;
            _outcomes[i] = new NormalizedEvent
            {
                Kind = bounce ? EventKind.Bounce : EventKind.Delivery, AccountId = "100000000001", MessageId = $"m{i}", EventKey = $"o{i}",
                TimestampMs = at + 2000, MailTimestampMs = at, Accepted = true, Destinations = [to],
                BounceType = bounce ? "Permanent" : null, BounceSubType = bounce ? "General" : null,
                Recipients = [new RecipientDetail { Email = to, Diagnostic = bounce ? "smtp; 550 5.1.1 user unknown" : "250 2.0.0 OK" }],
            };
        }
    }

    /// <summary>10,000 messages (20,000 events) through join, windows and rules; divide by 20,000 for per event.</summary>
    [Benchmark(OperationsPerInvoke = 2 * Messages)]
    public long JoinAggregateAndRules()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var joiner = new MessageJoiner(ProviderDirectory.Default, SmtpResponseClassifier.Default, new JoinOptions());
        var rules = new RateRules(new RateThresholds());
        var account = new AccountAggregate { AccountId = "100000000001" };
        var dims = new Dictionary<string, EntityWindows>();
        var sink = new AccountAttribution(counters, account, k => dims.TryGetValue(k.Dimension, out var w) ? w : dims[k.Dimension] = new EntityWindows(), k => dims.Remove(k.Dimension));
        long assessed = 0;
        for (var i = 0; i < Messages; i++)
        {
            var ledger = new MessageLedger { MessageId = _attempts[i].MessageId!, AccountId = "100000000001" };
            joiner.Apply(ledger, _attempts[i], sink, long.MinValue, 0);
            joiner.Apply(ledger, _outcomes[i], sink, long.MinValue, 0);
            if (rules.Assess(counters.Snapshot(account.Windows)) is not null) assessed++;
        }
        return assessed;
    }
}
