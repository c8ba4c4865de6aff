using Confluent.Kafka;
using ReputationMonitor.Configuration;
using Streamiz.Kafka.Net;

namespace ReputationMonitor.Kafka;

/// <summary>
/// The one place every Kafka client of the process — stream (either runtime), projections, trace writer, command and
/// dead-letter publishers, topic provisioning, lag gauges, CLI verbs — gets where the brokers are and how to authenticate
/// to them (<c>Kafka:SecurityProtocol</c>, <c>SaslMechanism</c>, <c>SaslUsername</c>, <c>SaslPassword</c>, <c>SslCaLocation</c>).
/// </summary>
public sealed class KafkaClients
{
    private readonly ClientConfig _connection;

    public KafkaClients(string bootstrapServers, KafkaOptions options)
    {
        BootstrapServers = bootstrapServers;
        _connection = new ClientConfig { BootstrapServers = bootstrapServers };
        if (options.SecurityProtocol is { } protocol) _connection.SecurityProtocol = protocol;
        if (options.SaslMechanism is { } mechanism) _connection.SaslMechanism = mechanism;
        if (options.SaslUsername is { Length: > 0 } user) _connection.SaslUsername = user;
        if (options.SaslPassword is { Length: > 0 } password) _connection.SaslPassword = password;
        if (options.SslCaLocation is { Length: > 0 } ca) _connection.SslCaLocation = ca;
    }

    public string BootstrapServers { get; }

    /// <summary>Sets the brokers and the security settings on a client's configuration, and returns it.</summary>
    public T Configure<T>(T config) where T : ClientConfig
    {
        foreach (var (key, value) in _connection) config.Set(key, value);
        return config;
    }

    /// <summary>The same for Streamiz, which hands them to every client it builds (consumers, producer, restore, admin); its
    /// configuration takes them as typed properties only.</summary>
    public T ConfigureStream<T>(T config) where T : StreamConfig
    {
        config.BootstrapServers = _connection.BootstrapServers;
        if (_connection.SecurityProtocol is { } protocol) config.SecurityProtocol = protocol;
        if (_connection.SaslMechanism is { } mechanism) config.SaslMechanism = mechanism;
        if (_connection.SaslUsername is { } user) config.SaslUsername = user;
        if (_connection.SaslPassword is { } password) config.SaslPassword = password;
        if (_connection.SslCaLocation is { } ca) config.SslCaLocation = ca;
        return config;
    }
}
