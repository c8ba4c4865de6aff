using System.Text;
using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Simulation;

namespace ReputationMonitor.Benchmarks;

/// <summary>
/// The core engine in process, no Kafka, over the simulator's <c>steady</c> mix (attempt, Send, then Delivery /
/// Bounce / Complaint / DeliveryDelay): parse the bytes, find the message's ledger, join, classify, count into the
/// account's and its dimensions' windows, and assess the rate rules for the account and every touched dimension —
/// the work the stream's transformer does per record, without Streamiz and its store.
/// </summary>
[MemoryDiagnoser]
public class CoreEngineBenchmarks
{
    private const int Messages = 20_000;
    private byte[][] _records = [];
    private bool[] _isAttempt = [];
    private readonly SesEventParser _events = new();
    private readonly SendAttemptParser _attempts = new();

    public int RecordCount => _records.Length;

    [Params(10, 1_000, 10_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Generate()
    {
        var start = DateTimeOffset.Parse("2026-11-20T09:00:00Z");
        var simulator = new TrafficSimulator(SimulationScenario.Steady, 42, Accounts, start, 1000, TimeSpan.FromSeconds(Messages / 1000.0));
        var records = new List<(bool, byte[])>();
        for (var i = 0; i < Messages; i++)
            foreach (var r in simulator.Next().Records)
                records.Add((r.IsAttempt, Encoding.UTF8.GetBytes(r.Json)));
        _records = [.. records.Select(r => r.Item2)];
        _isAttempt = [.. records.Select(r => r.Item1)];
    }

    /// <summary>Parsing alone, for the share of it in the whole.</summary>
    [Benchmark(OperationsPerInvoke = Messages * 3)]
    public int ParseOnly()
    {
        var ok = 0;
        for (var i = 0; i < _records.Length; i++)
            if ((_isAttempt[i] ? _attempts.Parse(_records[i]) : _events.Parse(_records[i])).IsSuccess) ok++;
        return ok;
    }

    /// <summary>All 60,000 records of the mix; reported per record.</summary>
    [Benchmark(OperationsPerInvoke = Messages * 3)]
    public long ParseJoinAggregateRules()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var joiner = new MessageJoiner(ProviderDirectory.Default, SmtpResponseClassifier.Default, new JoinOptions());
        var rules = new RateRules(new RateThresholds());
        var ledgers = new Dictionary<string, MessageLedger>(StringComparer.Ordinal);
        var accounts = new Dictionary<string, AccountAttribution>(StringComparer.Ordinal);
        var dimensions = new Dictionary<string, EntityWindows>(StringComparer.Ordinal);
        long assessed = 0;
        for (var i = 0; i < _records.Length; i++)
        {
            var parsed = _isAttempt[i] ? _attempts.Parse(_records[i]) : _events.Parse(_records[i]);
            if (parsed.Event is not { MessageId: { } id } e) continue;
            if (!accounts.TryGetValue(e.AccountId, out var sink))
            {
                var owner = e.AccountId;
                sink = new AccountAttribution(counters, new AccountAggregate { AccountId = owner },
                    k => dimensions.TryGetValue($"{owner}/{k}", out var w) ? w : dimensions[$"{owner}/{k}"] = new EntityWindows(),
                    k => dimensions.Remove($"{owner}/{k}"));
                accounts[owner] = sink;
            }
            if (!ledgers.TryGetValue(id, out var ledger)) ledgers[id] = ledger = new MessageLedger { MessageId = id, AccountId = e.AccountId };
            if (joiner.Apply(ledger, e, sink, long.MinValue, e.TimestampMs) != JoinOutcome.Applied) continue;
            // As the transformer: the configuration sets and tenants have a status of their own to assess.
            foreach (var slot in sink.Touched)
                if (slot.StatusScope is not null && rules.Assess(counters.LongTotals(slot.Windows)) is not null) assessed++;
            sink.ClearTouched();
            if (rules.Assess(counters.LongTotals(sink.Account.Windows)) is not null) assessed++;
        }
        return assessed;
    }
}
