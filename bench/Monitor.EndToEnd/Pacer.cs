using Confluent.Kafka;
using ReputationMonitor.Engine;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// Produces the bench records while a pipeline consumes them. The embedded broker keeps only ~5 MB per partition,
/// so the producer stays at most <see cref="Window"/> records ahead of what the pipeline has consumed
/// (closed loop) — the measured rate is then the pipeline's, not the producer's.
/// </summary>
public sealed class Pacer(string bootstrap, BenchTopics topics, int window)
{
    public int Window => window;
    public string Bootstrap => bootstrap;
    public BenchTopics Topics => topics;

    public long Failed => Interlocked.Read(ref _failed);
    private long _failed;

    /// <summary>Most bytes the producer may be ahead over both input topics: with larger records (many accounts) a window of
    /// records would outgrow what the broker keeps, records not yet read would be dropped and the run would wait forever.</summary>
    private const long MaxBytesAhead = 16L << 20;

    /// <summary>The window in records for this data: <see cref="Window"/>, or less when its records are large.</summary>
    public int WindowFor(BenchData data) =>
        (int)Math.Min(window, Math.Max(1_000, MaxBytesAhead * data.Records.Length / Math.Max(1, data.Bytes)));

    public void ProduceAll(BenchData data, Func<long> consumed, CancellationToken ct)
    {
        using var producer = CreateProducer(bootstrap);
        long produced = 0;
        var ahead = WindowFor(data);
        foreach (var r in data.Records)
        {
            var spin = new SpinWait();
            while (produced - consumed() > ahead && !ct.IsCancellationRequested) spin.SpinOnce(sleep1Threshold: 20);
            if (ct.IsCancellationRequested) break;
            Produce(producer, r.IsAttempt ? topics.Attempts : topics.Events, r.Key, r.Value, null);
            produced++;
        }
        producer.Flush(ct);
    }

    /// <summary>Open loop: <paramref name="recordsPerSecond"/> for as long as the data lasts, stamped with the wall clock.</summary>
    public void ProduceAtRate(BenchData data, double recordsPerSecond, Action<IProducer<byte[], byte[]>, long>? each, CancellationToken ct)
    {
        using var producer = CreateProducer(bootstrap);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long produced = 0;
        foreach (var r in data.Records)
        {
            var spin = new SpinWait();
            while (produced >= clock.Elapsed.TotalSeconds * recordsPerSecond && !ct.IsCancellationRequested) spin.SpinOnce(sleep1Threshold: 20);
            if (ct.IsCancellationRequested) break;
            Produce(producer, r.IsAttempt ? topics.Attempts : topics.Events, r.Key, r.Value, null);
            each?.Invoke(producer, produced);
            produced++;
        }
        producer.Flush(ct);
    }

    public void Produce(IProducer<byte[], byte[]> producer, string topic, byte[] key, byte[] value, Headers? headers)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]>
                {
                    Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(DateTime.UtcNow),
                }, d => { if (d.Error.IsError) Interlocked.Increment(ref _failed); });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10)); // the local queue drains as the broker acknowledges
            }
        }
    }

    public static IProducer<byte[], byte[]> CreateProducer(string bootstrap) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, LingerMs = 5, BatchSize = 1_000_000, QueueBufferingMaxMessages = 500_000,
        }).Build();
}
