using System.Text;
using ReputationMonitor.Core.Parsing;
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
        if (attempts)
        {
            var p = new SendAttemptParser(maxRecordBytes);
            _parse = p.Parse;
        }
        else
        {
            var p = new SesEventParser(maxRecordBytes);
            _parse = p.Parse;
        }
    }

    public void Init(ProcessorContext<byte[], ParsedRecord> context) => _context = context;

    public Record<byte[], ParsedRecord> Process(Record<byte[], byte[]> record)
    {
        var result = _parse(record.Value ?? []);
        if (result.Event is { } e)
        {
            MonitorMetrics.EventsConsumed.WithLabels(_sourceTopic, e.Kind.ToString()).Inc();
            return Record<byte[], ParsedRecord>.Create(Encoding.UTF8.GetBytes(e.AccountId), new ParsedRecord { Event = e });
        }

        MonitorMetrics.DeadLetters.WithLabels(result.ErrorCode!, _sourceTopic).Inc();
        var headers = DeadLetterHeaders.Create(record.Headers, result.Reason, _sourceTopic);
        _context!.SetHeaders(headers);
        return Record<byte[], ParsedRecord>.Create(record.Key,
            new ParsedRecord { RawKey = record.Key, RawValue = record.Value ?? [] }, headers);
    }

    public void Close() { }
}
