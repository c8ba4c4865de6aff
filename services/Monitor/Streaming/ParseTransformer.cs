using System.Text;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Observability;
using Streamiz.Kafka.Net.Processors.Public;

namespace ReputationMonitor.Streaming;

/// <summary>
/// Parses raw input records. Good ones are keyed by account (the unit of aggregation); bad ones keep
/// their original key and bytes and get the DLQ headers. Nothing is thrown, nothing is dropped.
/// </summary>
public sealed class ParseTransformer : ITransformer<byte[], byte[], byte[], ParsedRecord>
{
    private readonly string _sourceTopic;
    private readonly Func<ReadOnlySpan<byte>, ParseResult> _parse;
    private ProcessorContext<byte[], ParsedRecord>? _context;
    private readonly Prometheus.Counter.Child?[,] _consumed = new Prometheus.Counter.Child?[Enum.GetValues<Core.Model.EventKind>().Length, Core.Model.Providers.Count];

    /// <summary>Streamiz's TransformerBuilder makes an unused prototype with <c>new()</c>; each task gets
    /// an instance built with the parameters given to the builder.</summary>
    public ParseTransformer()
    {
        _sourceTopic = "";
        _parse = _ => default;
    }

    public ParseTransformer(string sourceTopic, bool attempts, int maxRecordBytes)
    {
        _sourceTopic = sourceTopic;
        _parse = attempts ? new SendAttemptParser(maxRecordBytes).Parse : new SesEventParser(maxRecordBytes).Parse;
    }

    public void Init(ProcessorContext<byte[], ParsedRecord> context) => _context = context;

    public Record<byte[], ParsedRecord> Process(Record<byte[], byte[]> record)
    {
        var result = _parse(record.Value ?? []);
        if (result.Event is not { } e) return DeadLetter.Route(_context!, record, result.ErrorCode!, result.Reason, _sourceTopic);
        var firstRecipient = e.Recipients.Length > 0 ? e.Recipients[0].Email : e.Destinations.FirstOrDefault();
        var provider = Core.Classification.ProviderDirectory.Default.FromDomain(EmailAddress.Domain(firstRecipient ?? ""));
        // The labelled child, resolved once per kind and provider: a label lookup per record showed in the profile.
        (_consumed[(int)e.Kind, provider] ??= MonitorMetrics.EventsConsumed.WithLabels(_sourceTopic, e.Kind.ToString(), Core.Model.Providers.Name(provider))).Inc();
        MonitorMetrics.LastProcessed.WithLabels(_sourceTopic).Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        return Record<byte[], ParsedRecord>.Create(Encoding.UTF8.GetBytes(e.AccountId), new ParsedRecord { Event = e });
    }

    public void Close() { }
}

/// <summary>Parses operator commands (<c>reputation.commands</c>) and keys them by the account they act on.</summary>
public sealed class CommandParseTransformer : ITransformer<byte[], byte[], byte[], ParsedRecord>
{
    private readonly string _sourceTopic;
    private ProcessorContext<byte[], ParsedRecord>? _context;
    private readonly Prometheus.Counter.Child?[,] _consumed = new Prometheus.Counter.Child?[Enum.GetValues<Core.Model.EventKind>().Length, Core.Model.Providers.Count];

    /// <summary>Streamiz's TransformerBuilder makes an unused prototype with <c>new()</c>.</summary>
    public CommandParseTransformer() => _sourceTopic = "";

    public CommandParseTransformer(string sourceTopic) => _sourceTopic = sourceTopic;

    public void Init(ProcessorContext<byte[], ParsedRecord> context) => _context = context;

    public Record<byte[], ParsedRecord> Process(Record<byte[], byte[]> record)
    {
        Core.Rules.OperatorCommand? command;
        try
        {
            command = System.Text.Json.JsonSerializer.Deserialize(record.Value ?? [], Core.CoreJsonContext.Default.OperatorCommand);
        }
        catch (System.Text.Json.JsonException e)
        {
            return DeadLetter.Route(_context!, record, DlqReasons.InvalidJson, $"{DlqReasons.InvalidJson}: {e.Message}", _sourceTopic);
        }
        if (command is null || string.IsNullOrEmpty(command.Entity))
            return DeadLetter.Route(_context!, record, DlqReasons.MissingField, $"{DlqReasons.MissingField}: command has no entity", _sourceTopic);
        if (command.SuppressionReason is { } why && why is not (SuppressionChange.Bounce or SuppressionChange.Complaint or SuppressionChange.Manual))
            return DeadLetter.Route(_context!, record, DlqReasons.InvalidValue,
                $"{DlqReasons.InvalidValue}: suppressionReason '{why}' is not BOUNCE, COMPLAINT or MANUAL", _sourceTopic);
        return Record<byte[], ParsedRecord>.Create(Encoding.UTF8.GetBytes(command.Entity), new ParsedRecord { Command = command });
    }

    public void Close() { }
}

internal static class DeadLetter
{
    /// <summary>
    /// Past this, a DLQ record could be refused by the broker (1 MB by default), which would stop the stream for
    /// good: such a record keeps its first <see cref="TruncatedBytes"/> and says where the whole one is
    /// (source topic, partition, offset — the input topics keep it for their retention).
    /// </summary>
    public const int MaxValueBytes = 900_000, TruncatedBytes = 64 * 1024;

    /// <summary>The record, original key and bytes intact (unless too large to re-publish), on its way to the DLQ with its reason.</summary>
    public static Record<byte[], ParsedRecord> Route(ProcessorContext<byte[], ParsedRecord> context, Record<byte[], byte[]> record,
        string code, string reason, string sourceTopic)
    {
        MonitorMetrics.DeadLetters.WithLabels(code, sourceTopic).Inc();
        var value = record.Value ?? [];
        var headers = DeadLetterHeaders.Create(record.Headers, reason, sourceTopic, record.TopicPartitionOffset);
        if (value.Length > MaxValueBytes)
        {
            headers.Add(DeadLetterHeaders.Truncated, Encoding.UTF8.GetBytes(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            value = value[..TruncatedBytes];
        }
        context.SetHeaders(headers);
        return Record<byte[], ParsedRecord>.Create(record.Key, new ParsedRecord { RawKey = record.Key, RawValue = value }, headers);
    }
}
