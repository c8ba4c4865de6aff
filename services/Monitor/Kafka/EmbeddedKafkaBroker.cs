using Confluent.Kafka;

namespace ReputationMonitor.Kafka;

/// <summary>
/// A development Kafka broker inside this process: librdkafka's mock cluster, a real Kafka-protocol
/// server hosted by a client handle. Limits: no CreateTopics (topics auto-create with 4 partitions on
/// first metadata request or produce), and each partition keeps only its newest ~5 MB.
/// </summary>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    private readonly IProducer<Null, Null> _host;

    public string BootstrapServers { get; }

    public EmbeddedKafkaBroker(int brokers = 1)
    {
        var config = new ProducerConfig { BootstrapServers = "" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _host = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, _) => { /* the mock cluster announces itself at notice level on every start; not news */ })
            .Build();
        using var admin = new DependentAdminClientBuilder(_host.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        if (metadata.Brokers.Count == 0)
            throw new InvalidOperationException("the embedded Kafka broker did not report any broker address");
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public void Dispose() => _host.Dispose();
}
