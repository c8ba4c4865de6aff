using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Engine;

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

    private readonly TimeProvider _clock;
    private readonly long _maxFutureSkewMs;

    private InputParser(string sourceTopic, ReputationEngineSettings settings, Func<InputParser, Func<ReadOnlySpan<byte>, ParsedInput>> parse)
    {
        _sourceTopic = sourceTopic;
        _clock = settings.Clock;
        _maxFutureSkewMs = settings.MaxFutureSkewMs;
        _lastProcessed = EngineMetrics.LastProcessed.WithLabels(sourceTopic);
        _parse = parse(this);
    }

    public string SourceTopic => _sourceTopic;

    /// <summary>The parser of one input source (<see cref="InputTable"/>).</summary>
    public static InputParser For(InputSource source, ReputationEngineSettings settings)
    {
        switch (source.Kind)
        {
            case InputKind.SendAttempts:
                var attempts = new SendAttemptParser(settings.MaxRecordBytes);
                return new InputParser(source.Topic, settings, p => value => p.Counted(attempts.Parse(value)));
            case InputKind.SesEvents:
                var events = new SesEventParser(settings.MaxRecordBytes);
                return new InputParser(source.Topic, settings, p => value => p.Counted(events.Parse(value)));
            case InputKind.Commands:
                return new InputParser(source.Topic, settings, p => value => p.ParseCommand(value, settings));
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source.Kind, "not an input kind");
        }
    }

    /// <summary>The parser of each input topic of <see cref="InputTable"/>: what both runtimes read.</summary>
    public static IReadOnlyList<InputParser> ForInputs(ReputationEngineSettings settings) =>
        InputTable.Sources(settings.Topics).Select(source => For(source, settings)).ToList();

    public static InputParser ForAttempts(ReputationEngineSettings settings) => ForKind(InputKind.SendAttempts, settings);
    public static InputParser ForEvents(ReputationEngineSettings settings) => ForKind(InputKind.SesEvents, settings);
    public static InputParser ForCommands(ReputationEngineSettings settings) => ForKind(InputKind.Commands, settings);

    private static InputParser ForKind(InputKind kind, ReputationEngineSettings settings) =>
        For(InputTable.Sources(settings.Topics).Single(s => s.Kind == kind), settings);

    public ParsedInput Parse(ReadOnlySpan<byte> value) => _parse(value);

    private ParsedInput Counted(ParseResult result)
    {
        if (result.Event is not { } e) return ParsedInput.Rejected(result.ErrorCode!, result.Reason);
        if (AccountIds.Violation(e.AccountId) is { } account)
            return ParsedInput.Rejected(DlqReasons.InvalidAccountId, $"{DlqReasons.InvalidAccountId}: {account}");
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (EventTime.FutureViolation(e, now, _maxFutureSkewMs) is { } future)
            return ParsedInput.Rejected(DlqReasons.TimestampInFuture, future);
        var firstRecipient = e.Recipients.Length > 0 ? e.Recipients[0].Email : e.Destinations.FirstOrDefault();
        var provider = ProviderDirectory.Default.FromDomain(EmailAddress.Domain(firstRecipient ?? ""));
        // The labelled child, resolved once per kind and provider: a label lookup is a dictionary search on every record.
        (_consumed[(int)e.Kind, provider] ??= EngineMetrics.EventsConsumed.WithLabels(_sourceTopic, e.Kind.ToString(), Providers.Name(provider))).Inc();
        _lastProcessed.Set(now / 1000.0);
        return new ParsedInput(e.AccountId, new StreamInput { Event = e }, null, null);
    }

    /// <summary>
    /// A command is applied only if the API signed it and it fits the API's bounds; anything else goes to the DLQ as
    /// <c>unauthorized_command</c> or <c>invalid_command</c>, counted, before it can reach an account's state.
    /// </summary>
    private ParsedInput ParseCommand(ReadOnlySpan<byte> value, ReputationEngineSettings settings)
    {
        if (value.IsEmpty) return Refused(DlqReasons.InvalidCommand, "record has no value");
        if (!System.Text.Unicode.Utf8.IsValid(value)) return Refused(DlqReasons.InvalidCommand, "record is not valid UTF-8");
        OperatorCommand? command;
        try
        {
            command = System.Text.Json.JsonSerializer.Deserialize(value, Core.CoreJsonContext.Default.OperatorCommand);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException)
        {
            return Refused(DlqReasons.InvalidCommand, $"not a command: {e.Message}");
        }
        if (command is null) return Refused(DlqReasons.InvalidCommand, "not a command: null");
        if (CommandGate.Refusal(command, settings) is { } refusal) return Refused(refusal.Code, refusal.Detail);
        _lastProcessed.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        return new ParsedInput(CommandRules.AccountOf(command), new StreamInput { Command = command }, null, null);
    }

    private static ParsedInput Refused(string code, string detail)
    {
        EngineMetrics.CommandsRefused.WithLabels(code).Inc();
        return ParsedInput.Rejected(code, $"{code}: {detail}");
    }
}
