using System.Text;
using BenchmarkDotNet.Attributes;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Simulation;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Engine.Processing;

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
    private const int Records = 60_000;
    private byte[][] _records = [], _next = [];
    private bool[] _isAttempt = [], _nextIsAttempt = [];
    private Engine _warm = null!;
    private ServiceEngine _service = null!;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T09:00:00Z");

    public int RecordCount => _records.Length;

    [Params(10, 1_000, 10_000)]
    public int Accounts { get; set; }

    /// <summary>Two runs of 60,000 records each (~20,000 messages), one after the other in event time.</summary>
    [GlobalSetup]
    public void Generate()
    {
        var simulator = new TrafficSimulator(SimulationScenario.Steady, 42, Accounts, Start, 1000, TimeSpan.FromHours(1));
        var records = new List<(bool IsAttempt, byte[] Json)>();
        while (records.Count < 2 * Records)
            foreach (var r in simulator.Next().Records)
                records.Add((r.IsAttempt, Encoding.UTF8.GetBytes(r.Json)));
        _records = [.. records.Take(Records).Select(r => r.Json)];
        _isAttempt = [.. records.Take(Records).Select(r => r.IsAttempt)];
        _next = [.. records.Skip(Records).Take(Records).Select(r => r.Json)];
        _nextIsAttempt = [.. records.Skip(Records).Take(Records).Select(r => r.IsAttempt)];
    }

    /// <summary>Parsing alone, for the share of it in the whole.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int ParseOnly()
    {
        var engine = new Engine();
        var ok = 0;
        for (var i = 0; i < _records.Length; i++)
            if (engine.Parse(_records[i], _isAttempt[i]).IsSuccess) ok++;
        return ok;
    }

    /// <summary>Cold: from empty state, so every account, dimension and window is created on the way.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long ParseJoinAggregateRules() => new Engine().Run(_records, _isAttempt);

    [IterationSetup(Target = nameof(WarmParseJoinAggregateRules))]
    public void Warm()
    {
        _warm = new Engine();
        _warm.Run(_records, _isAttempt);
    }

    /// <summary>Warm: the next 60,000 records, after the first 60,000 made every account and its dimensions known
    /// (the steady state of a running monitor).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long WarmParseJoinAggregateRules() => _warm.Run(_next, _nextIsAttempt);

    [IterationSetup(Target = nameof(WarmServiceEngine))]
    public void WarmService()
    {
        _service = new ServiceEngine();
        _service.Run(_records, _isAttempt);
    }

    /// <summary>
    /// Warm, the service's own engine: <see cref="ReputationEngine"/> (what both runtimes host) behind the runtimes'
    /// <see cref="InputParser"/>, everything it does per record — ledgers, suppressions, every dimension's windows and
    /// status, fallbacks, outputs encoded — with its state in changelogged entries (ledgers written through, as the
    /// partition processor, the default runtime, has them) and the
    /// statistics tick every 20,000 records (a commit and a tick a second at ~20,000 records/s).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long WarmServiceEngine() => _service.Run(_next, _nextIsAttempt);

    /// <summary>The service's engine with in-memory entries; outputs are encoded (as a runtime must) and counted.</summary>
    private sealed class ServiceEngine
    {
        private readonly InputParser _attempts = InputParser.ForAttempts(new ReputationEngineSettings { Topics = new Configuration.KafkaOptions().AllTopics() });
        private readonly InputParser _events = InputParser.ForEvents(new ReputationEngineSettings { Topics = new Configuration.KafkaOptions().AllTopics() });
        private readonly ChangeloggedEntries _entries = new();
        private readonly ReputationEngine _engine;
        private long _emitted;

        public ServiceEngine() => _engine = new ReputationEngine(new ReputationEngineSettings
        {
            Topics = new Configuration.KafkaOptions().AllTopics(),
            // Wall time just after the simulated traffic, so no event is older than the windows.
            Clock = new FixedClock(Start.AddMinutes(5)),
            MaxFutureSkew = TimeSpan.FromDays(3650), // the replayed records run ahead of the fixed clock
        }, _entries, ledgersWriteThrough: true);

        public long Run(byte[][] records, bool[] isAttempt)
        {
            for (var i = 0; i < records.Length; i++)
            {
                if ((isAttempt[i] ? _attempts : _events).Parse(records[i]).Input is { } input) Encode(_engine.Process(input));
                if ((i + 1) % 20_000 != 0) continue;
                _engine.FlushState();
                _entries.DrainChanges((_, _) => _emitted++);
                do Encode(_engine.Tick());
                while (_engine.TickInProgress);
            }
            return _emitted;
        }

        private void Encode(IReadOnlyList<EngineOutput> outputs)
        {
            foreach (var (_, output) in outputs) _emitted += OutputTable.Encode(output).Length;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>The work the stream's transformer does per record, without Streamiz and its store.</summary>
    private sealed class Engine
    {
        private readonly SesEventParser _events = new();
        private readonly SendAttemptParser _attempts = new();
        private readonly WindowedCounters _counters = new(new WindowOptions());
        private readonly MessageJoiner _joiner = new(ProviderDirectory.Default, SmtpResponseClassifier.Default, new JoinOptions());
        private readonly RateRules _rules = new(new RateThresholds());
        private readonly Dictionary<string, MessageLedger> _ledgers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AccountAttribution> _accounts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, EntityWindows> _dimensions = new(StringComparer.Ordinal);

        public ParseResult Parse(byte[] record, bool isAttempt) => isAttempt ? _attempts.Parse(record) : _events.Parse(record);

        public long Run(byte[][] records, bool[] isAttempt)
        {
            long assessed = 0;
            for (var i = 0; i < records.Length; i++)
            {
                if (Parse(records[i], isAttempt[i]).Event is not { MessageId: { } id } e) continue;
                if (!_accounts.TryGetValue(e.AccountId, out var sink))
                {
                    var owner = e.AccountId;
                    sink = new AccountAttribution(_counters, new AccountAggregate { AccountId = owner },
                        k => _dimensions.TryGetValue($"{owner}/{k}", out var w) ? w : _dimensions[$"{owner}/{k}"] = new EntityWindows(),
                        k => _dimensions.Remove($"{owner}/{k}"));
                    _accounts[owner] = sink;
                }
                if (!_ledgers.TryGetValue(id, out var ledger)) _ledgers[id] = ledger = new MessageLedger { MessageId = id, AccountId = e.AccountId };
                if (_joiner.Apply(ledger, e, sink, long.MinValue, e.TimestampMs) != JoinOutcome.Applied) continue;
                // As the transformer: the configuration sets and tenants have a status of their own to assess.
                foreach (var slot in sink.Touched)
                    if (slot.StatusScope is not null && _rules.Assess(_counters.LongTotals(slot.Windows)) is not null) assessed++;
                sink.ClearTouched();
                if (_rules.Assess(_counters.LongTotals(sink.Account.Windows)) is not null) assessed++;
            }
            return assessed;
        }
    }
}
