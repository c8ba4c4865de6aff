using DotNet.Testcontainers.Builders;
using ReputationMonitor.Kafka;
using Testcontainers.Kafka;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// A real Kafka-protocol broker for the tests, in the design's order: <c>KAFKA_BOOTSTRAP_SERVERS</c> if set,
/// else a Testcontainers Kafka (apache/kafka, KRaft) when a Docker engine answers, else the embedded broker.
/// </summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    private KafkaContainer? _container;
    private EmbeddedKafkaBroker? _embedded;

    public string BootstrapServers { get; private set; } = "";
    public string Kind { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is { Length: > 0 } configured)
        {
            BootstrapServers = configured;
            Kind = "KAFKA_BOOTSTRAP_SERVERS";
            return;
        }
        try
        {
            _container = new KafkaBuilder("apache/kafka:3.9.1").WithKRaft().Build();
            await _container.StartAsync();
            BootstrapServers = _container.GetBootstrapAddress();
            Kind = "testcontainers";
            return;
        }
        catch (DockerUnavailableException e)
        {
            Console.Error.WriteLine($"[tests] no Docker engine ({e.Message.Split('\n')[0]}); using the embedded Kafka broker");
            _container = null;
        }
        _embedded = new EmbeddedKafkaBroker();
        BootstrapServers = _embedded.BootstrapServers;
        Kind = "embedded";
    }

    public async Task DisposeAsync()
    {
        _embedded?.Dispose();
        if (_container is not null) await _container.DisposeAsync();
    }
}
