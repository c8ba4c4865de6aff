using Confluent.Kafka;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// The partition processor's producer (Kafka Streams' <c>RecordCollector</c>): every output, repartitioned record, dead
/// letter and changelog record goes through it; <see cref="Flush"/> is the commit's barrier — every record acknowledged,
/// or the first delivery error thrown.
/// </summary>
public sealed class RecordCollector : IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(60);

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private Error? _deliveryError;

    public RecordCollector(ProducerBuilder<byte[], byte[]> builder)
    {
        _producer = builder.Build();
        _onDelivery = report =>
        {
            if (report.Error.IsError) Interlocked.CompareExchange(ref _deliveryError, report.Error, null);
        };
    }

    public Handle Handle => _producer.Handle;

    /// <param name="partition">-1: the producer's partitioner chooses (by key).</param>
    public void Send(string topic, byte[]? key, byte[]? value, Headers? headers, int partition = -1)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers };
        while (true)
        {
            try
            {
                if (partition < 0) _producer.Produce(topic, message, _onDelivery);
                else _producer.Produce(new TopicPartition(topic, partition), message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(20)); // the broker is behind: wait for deliveries, then retry
            }
        }
    }

    /// <summary>Waits until every record sent so far is acknowledged; throws if one could not be delivered.</summary>
    public void Flush()
    {
        var undelivered = _producer.Flush(FlushTimeout);
        if (undelivered > 0)
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"{undelivered} records not acknowledged within {FlushTimeout.TotalSeconds:N0} s"));
        if (Volatile.Read(ref _deliveryError) is { } failed) throw new KafkaException(failed);
    }

    public void Dispose() => _producer.Dispose();
}
