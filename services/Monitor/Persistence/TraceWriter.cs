using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Persistence;

/// <summary>
/// Writes message traces (every attempt and event, once) for <c>GET /v1/messages/{id}</c>. It reads the
/// input topics in its own consumer group, so traces never slow the reputation stream, and a database
/// outage only delays them. Unparseable records are skipped here: the stream has sent them to the DLQ.
/// </summary>
public sealed class TraceWriter(
    KafkaConnection kafka, StartupGate gate, Topics topics, IOptions<KafkaOptions> options, ProjectionStore store,
    DeadLetterPublisher deadLetters, ILogger<TraceWriter> logger) : BatchConsumerWorker(kafka, gate, store, deadLetters, logger)
{
    private readonly Dictionary<string, Func<byte[], ParseResult>> _readers = InputTable.EventSources(topics)
        .ToDictionary(s => s.Topic, s => InputTable.EventReader(s.Kind, options.Value.MaxRecordBytes), StringComparer.Ordinal);

    protected override string GroupId => $"{options.Value.ApplicationId}-traces";
    protected override IReadOnlyList<string> SourceTopics => [.. _readers.Keys];
    protected override string Kind => "trace";

    protected override Task WriteAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct)
    {
        var parsed = new List<NormalizedEvent>(batch.Count);
        foreach (var r in batch)
        {
            var result = _readers[r.Topic](r.Message.Value ?? []);
            if (result.Event is { } e) parsed.Add(e);
        }
        return parsed.Count == 0 ? Task.CompletedTask : Store.InsertTracesAsync(parsed, ct);
    }
}
