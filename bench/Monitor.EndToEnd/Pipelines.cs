using Confluent.Kafka;

namespace ReputationMonitor.EndToEnd;

/// <summary>One way of reading the bench topics; <see cref="Processed"/> counts input records fully handled.</summary>
public interface IPipeline : IDisposable
{
    string Name { get; }
    void Start(string bootstrap, BenchTopics topics);
    long Processed { get; }
}

/// <summary>(a) The ceiling: a plain Confluent.Kafka consumer that reads the records and does nothing with them.</summary>
public class RawConsumerPipeline : IPipeline
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private long _processed;

    /// <summary>Closed while the next chunk is produced, so that only reading is timed (see <see cref="BenchRunner"/>).</summary>
    public ManualResetEventSlim Gate { get; } = new(true);

    public const string DisplayName = "raw consume";
    public virtual string Name => DisplayName;
    public long Processed => Interlocked.Read(ref _processed);

    public void Start(string bootstrap, BenchTopics topics)
    {
        var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = $"{topics.Prefix}-{GetType().Name}", AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // Fetch big, never wait long: a ceiling should not be limited by fetch sizing.
            MaxPartitionFetchBytes = 8 * 1024 * 1024, FetchWaitMaxMs = 10, QueuedMinMessages = 1_000_000,
        }).Build();
        consumer.Subscribe([topics.Attempts, topics.Events]);
        var relay = CreateRelay(bootstrap);
        _thread = new Thread(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    if (!Gate.Wait(100)) continue;
                    var r = consumer.Consume(100);
                    if (r is null || r.IsPartitionEOF) continue;
                    relay?.Produce(topics.Output, r.Message);
                    Interlocked.Increment(ref _processed);
                }
            }
            finally
            {
                relay?.Flush(TimeSpan.FromSeconds(10));
                relay?.Dispose();
                consumer.Close();
                consumer.Dispose();
            }
        }) { IsBackground = true, Name = Name };
        _thread.Start();
    }

    protected virtual IProducer<byte[], byte[]>? CreateRelay(string bootstrap) => null;

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
        Gate.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The other ceiling: one thread consuming and producing each record unchanged (the least any processor does).</summary>
public sealed class ConsumeProduceCeilingPipeline : RawConsumerPipeline
{
    public new const string DisplayName = "consume→produce";
    public override string Name => DisplayName;
    protected override IProducer<byte[], byte[]> CreateRelay(string bootstrap) => Pacer.CreateProducer(bootstrap);
}
