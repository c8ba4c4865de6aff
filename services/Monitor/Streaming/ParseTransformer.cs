using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Processing;
using Streamiz.Kafka.Net.Processors.Public;

namespace ReputationMonitor.Streaming;

/// <summary>
/// Parses raw input records (<see cref="InputParser"/>). Good ones are keyed by account (the unit of aggregation); bad
/// ones keep their original key and bytes and get the DLQ headers. Nothing is thrown, nothing is dropped.
/// </summary>
public sealed class ParseTransformer : ITransformer<byte[], byte[], byte[], ParsedRecord>
{
    private readonly InputParser? _parser;
    private ProcessorContext<byte[], ParsedRecord>? _context;

    /// <summary>Streamiz's TransformerBuilder makes an unused prototype with <c>new()</c>; each task gets
    /// an instance built with the parameters given to the builder.</summary>
    public ParseTransformer() { }

    public ParseTransformer(InputParser parser) => _parser = parser;

    public void Init(ProcessorContext<byte[], ParsedRecord> context) => _context = context;

    public Record<byte[], ParsedRecord> Process(Record<byte[], byte[]> record)
    {
        var parsed = _parser!.Parse(record.Value ?? []);
        if (parsed.Input is not { } input)
        {
            var (headers, value) = DeadLetter.Prepare(record.Headers, record.TopicPartitionOffset, record.Value ?? [],
                parsed.ErrorCode!, parsed.Reason!, _parser.SourceTopic);
            _context!.SetHeaders(headers);
            return Record<byte[], ParsedRecord>.Create(record.Key, new ParsedRecord { RawKey = record.Key, RawValue = value }, headers);
        }
        MonitorMetrics.RoutedRepartition.Inc();
        return Record<byte[], ParsedRecord>.Create(Encoding.UTF8.GetBytes(parsed.Account!),
            new ParsedRecord { Event = input.Event, Command = input.Command });
    }

    public void Close() { }
}

public static class DeadLetter
{
    /// <summary>
    /// Past this, a DLQ record could be refused by the broker (1 MB by default), which would stop the stream for
    /// good: such a record keeps its first <see cref="TruncatedBytes"/> and says where the whole one is
    /// (source topic, partition, offset — the input topics keep it for their retention).
    /// </summary>
    public const int MaxValueBytes = 900_000, TruncatedBytes = 64 * 1024;

    /// <summary>The DLQ headers and value for a record: original bytes intact (unless too large to re-publish), the reason, where it came from.</summary>
    public static (Headers Headers, byte[] Value) Prepare(Headers? original, TopicPartitionOffset? source, byte[] value,
        string code, string reason, string sourceTopic)
    {
        MonitorMetrics.DeadLetters.WithLabels(code, sourceTopic).Inc();
        var headers = DeadLetterHeaders.Create(original, reason, sourceTopic, source);
        if (value.Length > MaxValueBytes)
        {
            headers.Add(DeadLetterHeaders.Truncated, Encoding.UTF8.GetBytes(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            value = value[..TruncatedBytes];
        }
        return (headers, value);
    }
}
