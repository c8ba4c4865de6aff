using Confluent.Kafka;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Kafka;

/// <summary>Sends records the projections cannot write to the DLQ, original bytes and reason. One long-lived producer.</summary>
public sealed class DeadLetterPublisher : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Topics _topics;

    public DeadLetterPublisher(KafkaConnection kafka, Topics topics)
    {
        _topics = topics;
        _producer = new ProducerBuilder<byte[], byte[]>(kafka.Clients.Configure(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All }))
            .Build();
    }

    public async Task PublishAsync(ConsumeResult<byte[], byte[]> record, string code, string reason, CancellationToken ct)
    {
        var (headers, value) = DeadLetter.Prepare(record.Message.Headers, record.TopicPartitionOffset, record.Message.Value ?? [], code, reason, record.Topic);
        await _producer.ProduceAsync(_topics.Dlq, new Message<byte[], byte[]> { Key = record.Message.Key!, Value = value, Headers = headers }, ct);
        Engine.Observability.EngineMetrics.DeadLetters.WithLabels(code, record.Topic).Inc();
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
