using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Hosting;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>Every Kafka client the service builds gets the security settings of <c>Kafka:*</c> from one place.</summary>
public sealed class KafkaClientsTests
{
    private static readonly KafkaOptions Secured = new()
    {
        SecurityProtocol = SecurityProtocol.SaslSsl, SaslMechanism = SaslMechanism.ScramSha512, SaslUsername = "monitor",
        SaslPassword = "s3cret-for-the-test", SslCaLocation = "/etc/ssl/certs/ca-certificates.crt",
    };

    private static void AssertSecured(ClientConfig c, string what)
    {
        Assert.True(c.BootstrapServers == "broker:9093", what);
        Assert.True(c.SecurityProtocol == SecurityProtocol.SaslSsl, what);
        Assert.True(c.SaslMechanism == SaslMechanism.ScramSha512, what);
        Assert.True((c.SaslUsername, c.SaslPassword) == ("monitor", "s3cret-for-the-test"), what);
        Assert.True(c.SslCaLocation == "/etc/ssl/certs/ca-certificates.crt", what);
    }

    [Fact]
    public void Plain_clients_and_every_client_streamiz_builds_carry_the_security_settings()
    {
        var clients = new KafkaClients("broker:9093", Secured);
        AssertSecured(clients.Configure(new ProducerConfig { LingerMs = 5 }), "producer");
        AssertSecured(clients.Configure(new ConsumerConfig { GroupId = "g" }), "consumer");
        AssertSecured(clients.Configure(new AdminClientConfig()), "admin");

        var stream = StreamHost.CreateConfig(Secured, clients, NullLogger.Instance);
        AssertSecured(stream.ToConsumerConfig("c"), "stream consumer");
        AssertSecured(stream.ToProducerConfig("p"), "stream producer");
        AssertSecured(stream.ToRestoreConsumerConfig("r"), "stream restore consumer");
        AssertSecured(stream.ToAdminConfig("a"), "stream admin");
    }

    /// <summary>No client configuration is built anywhere else: a new client cannot forget the security settings.</summary>
    [Fact]
    public void No_client_configuration_is_built_outside_the_one_place()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../services/Monitor"));
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.EndsWith("EmbeddedKafkaBroker.cs"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, @"new (Producer|Consumer|AdminClient)Config\b")
                        && !l.Text.Contains("Clients.Configure(") && !l.Text.Contains("clients.Configure("))
            .Select(l => $"{l.File}:{l.Line}").ToList();
        Assert.True(Directory.Exists(root), root);
        Assert.Empty(offenders);
    }
}
