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

    private static (ReputationEngine Engine, Output Output) Start()
    {
        var topics = new KafkaOptions().AllTopics();
        var settings = new ReputationEngineSettings
        {
            Topics = topics, Clock = new ManualClock(T0.AddHours(1)), MaxFutureSkew = TimeSpan.FromDays(3650), CommandSignature = Signature,
        };
        var output = new Output(topics);
        var engine = new ReputationEngine(settings, new ChangeloggedEntries(), output, ledgersWriteThrough: true);
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
        output.FailOnEmitFor = $"account:{Account}"; // a bug in publishing this account's decision
        engine.Process(new StreamInput { Command = Signature.Sign(Command("c-pause", Account, OperatorCommand.Pause)) });
        var rejected = Assert.Single(output.Rejected);
        Assert.StartsWith("processing_error: InvalidOperationException", rejected.Reason);
        Assert.Equal("c-pause", JsonDocument.Parse(rejected.Value).RootElement.GetProperty("commandId").GetString());

        engine.Process(new StreamInput { Command = Signature.Sign(Command("c-other", Other, OperatorCommand.Pause)) });
        Assert.Equal(EntityStatus.Paused, output.Decisions().Last(d => d.Entity == Other).To);
        engine.Tick(); // and the periodic work goes on
    }

    private static OperatorCommand Command(string id, string account, string type, string? reviewId = null, TimeSpan? extendBy = null) => new()
    {
        CommandId = id, Type = type, Scope = "account", Entity = account, Actor = "test", Reason = "isolation test",
        At = T0.AddHours(1), ReviewId = reviewId, ExtendBy = extendBy,
    };

    private sealed class Output(Topics topics) : IEngineOutput
    {
        private readonly List<byte[]> _actions = [];
        public List<(string Key, byte[] Value, string Reason)> Rejected { get; } = [];
        public string? FailOnEmitFor { get; set; }

        public void Emit(string key, StreamOutput output)
        {
            if (key == FailOnEmitFor) throw new InvalidOperationException("publishing failed");
            if (StreamOutputs.Topic(output, topics) == topics.Actions) _actions.Add(StreamOutputs.Encode(output));
        }

        public void Reject(string key, byte[] value, string reason) => Rejected.Add((key, value, reason));

        public List<Decision> Decisions() => _actions
            .Select(a => JsonSerializer.Deserialize(a, CoreJsonContext.Default.Decision)!)
            .Where(d => d.Kind == Decision.TransitionKind).ToList();
    }
}
