using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Observability;
using Streamiz.Kafka.Net.Processors.Public;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Kafka;

namespace ReputationMonitor.StreamizRuntime;

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
