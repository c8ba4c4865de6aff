using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Engine;

/// <summary>What an input topic carries.</summary>
public enum InputKind
{
    SendAttempts,
    SesEvents,
    Commands,
}

public readonly record struct InputSource(string Topic, InputKind Kind);

/// <summary>
/// The one table of inputs: which topic carries what. The stream's parsers (<see cref="InputParser.ForInputs"/>, for both
/// runtimes) and the message-trace writer (<see cref="EventReader"/>) are made from it.
/// </summary>
public static class InputTable
{
    public static IReadOnlyList<InputSource> Sources(Topics topics) =>
    [
        new(topics.SendAttempts, InputKind.SendAttempts),
        new(topics.Events, InputKind.SesEvents),
        new(topics.Commands, InputKind.Commands),
    ];

    /// <summary>The sources whose records are message events (attempts and SES events, not commands).</summary>
    public static IReadOnlyList<InputSource> EventSources(Topics topics) => Sources(topics).Where(s => s.Kind != InputKind.Commands).ToList();

    /// <summary>Reads a topic's records as events, without the stream's counting or time checks (message traces keep
    /// everything the stream accepted or not; the stream's DLQ says why).</summary>
    public static Func<byte[], ParseResult> EventReader(InputKind kind, int maxRecordBytes)
    {
        switch (kind)
        {
            case InputKind.SendAttempts:
                var attempts = new SendAttemptParser(maxRecordBytes);
                return value => attempts.Parse(value);
            case InputKind.SesEvents:
                var events = new SesEventParser(maxRecordBytes);
                return value => events.Parse(value);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "carries no events");
        }
    }
}
