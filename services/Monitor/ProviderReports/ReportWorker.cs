using Confluent.Kafka;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.ProviderReports;

/// <summary>
/// A consumer of providers' reports that publishes what it makes of them (SES-shaped complaints, findings) with one
/// long-lived idempotent producer, flushed and closed once when the worker goes.
/// </summary>
public abstract class ReportWorker(KafkaConnection kafka, StartupGate gate, ProjectionStore store, DeadLetterPublisher dlq, ILogger logger)
    : BatchConsumerWorker(kafka, gate, store, dlq, logger)
{
    private int _disposed;

    protected IProducer<string, byte[]> Producer { get; } = new ProducerBuilder<string, byte[]>(
        kafka.Clients.Configure(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All })).Build();

    public override void Dispose()
    {
        // The container disposes the worker once as a singleton and once as the hosted service it also is.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
