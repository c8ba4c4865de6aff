using System.Text;
using System.Text.Json;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// Every input of the engine is isolated. A command that reaches it without the door (written to the by-account topic
/// directly) is checked again; a record the engine fails on goes to the DLQ with the reason, and the engine goes on with
/// the next record.
/// </summary>
public sealed class EngineIsolationTests
{
    private const string Account = "960000000001", Other = "960000000002";
    private static readonly CommandSignature Signature = new(MonitorInstance.CommandSigningKey);

    private static (Host Engine, Output Output) Start()
    {
        var topics = new KafkaOptions().AllTopics();
        var settings = new ReputationEngineSettings
        {
            Topics = topics, Clock = new ManualClock(T0.AddHours(1)), MaxFutureSkew = TimeSpan.FromDays(3650), CommandSignature = Signature,
        };
        var output = new Output(topics);
        var entries = new FailingEntries();
        var engine = new Host(new ReputationEngine(settings, entries, ledgersWriteThrough: true), output, entries);
        var (attempts, events) = (InputParser.ForAttempts(settings), InputParser.ForEvents(settings));
        foreach (var a in OperatorScenario.Attempts(Account)) engine.Process(attempts.Parse(Encoding.UTF8.GetBytes(a)).Input!);
        foreach (var e in OperatorScenario.Events(Account)) engine.Process(events.Parse(Encoding.UTF8.GetBytes(e)).Input!);
        return (engine, output);
    }

    [Fact]
    public void Commands_that_bypass_the_door_are_checked_again()
    {
        var (engine, output) = Start();
        var review = output.Decisions().Last(d => d.Entity == Account && d.To == EntityStatus.UnderReview).Review!;
        var decisions = output.Decisions().Count;

        var extend = Command("c-extend", Account, OperatorCommand.Extend, review.Id, TimeSpan.FromDays(3_000_000));
        engine.Process(new StreamInput { Command = Signature.Sign(extend) });
        engine.Process(new StreamInput { Command = Command("c-unsigned", Account, OperatorCommand.Pause) });

        Assert.Equal(decisions, output.Decisions().Count);
        Assert.Equal(["invalid_command", "unauthorized_command"], output.Rejected.Select(r => r.Reason.Split(':')[0]));
        Assert.Equal("c-extend", JsonDocument.Parse(output.Rejected[0].Value).RootElement.GetProperty("commandId").GetString());
    }

    [Fact]
    public void A_record_the_engine_fails_on_is_rejected_and_the_next_one_is_applied()
    {
        var (engine, output) = Start();
        engine.Entries.FailOnPutOf = $"x/{Account}/"; // a bug in storing this account's suppressions
        var suppress = Command("c-suppress", Account, OperatorCommand.Suppress);
        suppress.Email = "ana@example.com";
        engine.Process(new StreamInput { Command = Signature.Sign(suppress) });
        var rejected = Assert.Single(output.Rejected);
        Assert.StartsWith("processing_error: InvalidOperationException", rejected.Reason);
        Assert.Equal("c-suppress", JsonDocument.Parse(rejected.Value).RootElement.GetProperty("commandId").GetString());

        engine.Entries.FailOnPutOf = null;
        engine.Process(new StreamInput { Command = Signature.Sign(Command("c-other", Other, OperatorCommand.Pause)) });
        Assert.Equal(EntityStatus.Paused, output.Decisions().Last(d => d.Entity == Other).To);
        engine.Tick(); // and the periodic work goes on
    }

    private static OperatorCommand Command(string id, string account, string type, string? reviewId = null, TimeSpan? extendBy = null) => new()
    {
        CommandId = id, Type = type, Scope = "account", Entity = account, Actor = "test", Reason = "isolation test",
        At = T0.AddHours(1), ReviewId = reviewId, ExtendBy = extendBy,
    };

    /// <summary>The engine as a runtime hosts it: each call's outputs routed at once.</summary>
    private sealed class Host(ReputationEngine engine, Output output, FailingEntries entries)
    {
        public FailingEntries Entries => entries;
        public void Process(StreamInput input) => output.Add(engine.Process(input));
        public void Tick()
        {
            do output.Add(engine.Tick());
            while (engine.TickInProgress);
        }
    }

    private sealed class FailingEntries : IStateEntries
    {
        private readonly ChangeloggedEntries _entries = new();
        public string? FailOnPutOf { get; set; }
        public byte[]? Get(string key) => _entries.Get(key);

        public void Put(string key, byte[] value)
        {
            if (FailOnPutOf is { } prefix && key.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidOperationException("storing failed");
            _entries.Put(key, value);
        }

        public void Delete(string key) => _entries.Delete(key);
        public IEnumerable<KeyValuePair<string, byte[]>> All() => _entries.All();
    }

    private sealed class Output(Topics topics)
    {
        private readonly List<byte[]> _actions = [];
        public List<(string Key, byte[] Value, string Reason)> Rejected { get; } = [];

        public void Add(IReadOnlyList<EngineOutput> outputs)
        {
            foreach (var (key, output) in outputs)
            {
                if (output.DeadLetterReason is { } reason) Rejected.Add((key, output.DeadLetter!, reason));
                else if (OutputTable.Topic(output, topics) == topics.Actions) _actions.Add(OutputTable.Encode(output));
            }
        }

        public List<Decision> Decisions() => _actions
            .Select(a => JsonSerializer.Deserialize(a, CoreJsonContext.Default.Decision)!)
            .Where(d => d.Kind == Decision.TransitionKind).ToList();
    }
}
