using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Observability;
using ReputationMonitor.Streaming;

namespace ReputationMonitor.Processing;

/// <summary>What one input record became: the account it belongs to and what the engine gets, or why it is a dead letter.</summary>
public readonly record struct ParsedInput(string? Account, StreamInput? Input, string? ErrorCode, string? Reason)
{
    public static ParsedInput Rejected(string code, string reason) => new(null, null, code, reason);
}

/// <summary>
/// Parses the records of one input topic (send attempts, SES events or operator commands) and counts them; nothing is
/// thrown. Shared by both runtimes, so a record is accepted or refused for the same reason whichever runs.
/// </summary>
public sealed class InputParser
{
    private readonly string _sourceTopic;
    private readonly Func<ReadOnlySpan<byte>, ParsedInput> _parse;
    private readonly Prometheus.Gauge.Child _lastProcessed;
    private readonly Prometheus.Counter.Child?[,] _consumed = new Prometheus.Counter.Child?[Enum.GetValues<EventKind>().Length, Providers.Count];

    private InputParser(string sourceTopic, Func<InputParser, Func<ReadOnlySpan<byte>, ParsedInput>> parse)
    {
        _sourceTopic = sourceTopic;
        _lastProcessed = MonitorMetrics.LastProcessed.WithLabels(sourceTopic);
        _parse = parse(this);
    }

    public string SourceTopic => _sourceTopic;

    public static InputParser ForAttempts(string topic, int maxRecordBytes)
    {
        var parser = new SendAttemptParser(maxRecordBytes);
        return new InputParser(topic, p => value => p.Counted(parser.Parse(value)));
    }

    public static InputParser ForEvents(string topic, int maxRecordBytes)
    {
        var parser = new SesEventParser(maxRecordBytes);
        return new InputParser(topic, p => value => p.Counted(parser.Parse(value)));
    }

    public static InputParser ForCommands(string topic) => new(topic, _ => ParseCommand);

    public ParsedInput Parse(ReadOnlySpan<byte> value) => _parse(value);

    private ParsedInput Counted(ParseResult result)
    {
        if (result.Event is not { } e) return ParsedInput.Rejected(result.ErrorCode!, result.Reason);
        var firstRecipient = e.Recipients.Length > 0 ? e.Recipients[0].Email : e.Destinations.FirstOrDefault();
        var provider = ProviderDirectory.Default.FromDomain(EmailAddress.Domain(firstRecipient ?? ""));
        // The labelled child, resolved once per kind and provider: a label lookup per record showed in the profile.
        (_consumed[(int)e.Kind, provider] ??= MonitorMetrics.EventsConsumed.WithLabels(_sourceTopic, e.Kind.ToString(), Providers.Name(provider))).Inc();
        _lastProcessed.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        return new ParsedInput(e.AccountId, new StreamInput { Event = e }, null, null);
    }

    private static ParsedInput ParseCommand(ReadOnlySpan<byte> value)
    {
        OperatorCommand? command;
        try
        {
            command = System.Text.Json.JsonSerializer.Deserialize(value, Core.CoreJsonContext.Default.OperatorCommand);
        }
        catch (System.Text.Json.JsonException e)
        {
            return ParsedInput.Rejected(DlqReasons.InvalidJson, $"{DlqReasons.InvalidJson}: {e.Message}");
        }
        if (command is null || string.IsNullOrEmpty(command.Entity))
            return ParsedInput.Rejected(DlqReasons.MissingField, $"{DlqReasons.MissingField}: command has no entity");
        if (command.SuppressionReason is { } why && why is not (SuppressionChange.Bounce or SuppressionChange.Complaint or SuppressionChange.Manual))
            return ParsedInput.Rejected(DlqReasons.InvalidValue,
                $"{DlqReasons.InvalidValue}: suppressionReason '{why}' is not BOUNCE, COMPLAINT or MANUAL");
        return new ParsedInput(command.Entity, new StreamInput { Command = command }, null, null);
    }
}
