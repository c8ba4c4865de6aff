using System.Text;
using System.Text.Json;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Processing;
using ReputationMonitor.Streaming;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// Every input of the engine is isolated: a record it fails on — here commands that reach it without the door's checks —
/// goes to the DLQ with the reason, and the engine goes on with the next record.
/// </summary>
public sealed class EngineIsolationTests
{
    private const string Account = "960000000001";

    [Fact]
    public void A_command_the_engine_fails_on_is_rejected_and_the_next_one_is_applied()
    {
        var topics = new Topics(new KafkaOptions());
        var settings = new ReputationEngineSettings { Topics = topics, Clock = new ManualClock(T0.AddHours(1)), MaxFutureSkew = TimeSpan.FromDays(3650) };
        var output = new Output(topics);
        var engine = new ReputationEngine(settings, new ChangeloggedEntries(), output, ledgersWriteThrough: true);
        var (attempts, events) = (InputParser.ForAttempts(settings), InputParser.ForEvents(settings));
        foreach (var a in OperatorScenario.Attempts(Account)) engine.Process(attempts.Parse(Encoding.UTF8.GetBytes(a)).Input!);
        foreach (var e in OperatorScenario.Events(Account)) engine.Process(events.Parse(Encoding.UTF8.GetBytes(e)).Input!);
        var review = output.Decisions().Last(d => d.Entity == Account && d.To == EntityStatus.UnderReview).Review!;

        // An extend of 3,000,000 days would put the deadline past the last representable instant: it changes nothing.
        var decisions = output.Decisions().Count;
        engine.Process(new StreamInput { Command = Command("c-extend", OperatorCommand.Extend, review.Id, TimeSpan.FromDays(3_000_000)) });
        Assert.Equal(decisions, output.Decisions().Count);
        Assert.Empty(output.Rejected);

        // A command without an entity makes the engine throw: rejected with the reason, the next one applied.
        var headless = Command("c-headless", OperatorCommand.Pause, null, null);
        headless.Entity = null!;
        engine.Process(new StreamInput { Command = headless });
        var rejected = Assert.Single(output.Rejected);
        Assert.StartsWith("processing_error: ArgumentNullException", rejected.Reason);
        Assert.Equal("c-headless", JsonDocument.Parse(rejected.Value).RootElement.GetProperty("commandId").GetString());

        engine.Process(new StreamInput { Command = Command("c-pause", OperatorCommand.Pause, null, null) });
        Assert.Equal(EntityStatus.Paused, output.Decisions().Last(d => d.Entity == Account).To);
    }

    private static OperatorCommand Command(string id, string type, string? reviewId, TimeSpan? extendBy) => new()
    {
        CommandId = id, Type = type, Scope = "account", Entity = Account, Actor = "test", Reason = "isolation test",
        At = T0.AddHours(1), ReviewId = reviewId, ExtendBy = extendBy,
    };

    private sealed class Output(Topics topics) : IEngineOutput
    {
        private readonly List<byte[]> _actions = [];
        public List<(string Key, byte[] Value, string Reason)> Rejected { get; } = [];

        public void Emit(string key, StreamOutput output)
        {
            if (StreamOutputs.Topic(output, topics) == topics.Actions) _actions.Add(StreamOutputs.Encode(output));
        }

        public void Reject(string key, byte[] value, string reason) => Rejected.Add((key, value, reason));

        public List<Decision> Decisions() => _actions
            .Select(a => JsonSerializer.Deserialize(a, ReputationMonitor.Core.CoreJsonContext.Default.Decision)!)
            .Where(d => d.Kind == Decision.TransitionKind).ToList();
    }
}
