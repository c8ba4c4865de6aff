using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;

namespace ReputationMonitor.Kafka;

/// <summary>
/// Where Kafka is, for every client in the process: the configured brokers, or an embedded
/// development broker started on first use when none are configured.
/// </summary>
public sealed class KafkaConnection : IDisposable
{
    private readonly EmbeddedKafkaBroker? _embedded;

    public string BootstrapServers { get; }

    /// <summary>Every client's connection settings (brokers, security).</summary>
    public KafkaClients Clients { get; }
    public bool Embedded => _embedded is not null;

    /// <summary>For every consumer group member of this process (stream and projections alike).</summary>
    public int SessionTimeoutMs { get; }

    public KafkaConnection(IOptions<KafkaOptions> options, ILogger<KafkaConnection> logger)
    {
        SessionTimeoutMs = options.Value.SessionTimeoutMs;
        var configured = options.Value.BootstrapServers;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            BootstrapServers = configured;
            Clients = new KafkaClients(configured, options.Value);
            return;
        }
        _embedded = new EmbeddedKafkaBroker();
        BootstrapServers = _embedded.BootstrapServers;
        // The embedded broker speaks plaintext only.
        Clients = new KafkaClients(BootstrapServers, new KafkaOptions());
        logger.LogInformation("No Kafka configured: started the embedded development broker at {BootstrapServers}", BootstrapServers);
    }

    public void Dispose() => _embedded?.Dispose();
}
