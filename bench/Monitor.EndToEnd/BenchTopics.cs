using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine;

namespace ReputationMonitor.EndToEnd;

/// <summary>Each pipeline of each run reads its own copy of the data from topics of its own.</summary>
public sealed record BenchTopics(string Prefix)
{
    public string Attempts => $"{Prefix}.email.send-attempts";
    public string Events => $"{Prefix}.email.events";
    public string Output => $"{Prefix}.out";
    public string Commands => $"{Prefix}.reputation.commands";
    public string Actions => $"{Prefix}.reputation.actions";

    /// <summary>Brings the topics into being (4 partitions, as the service's) before anyone subscribes.</summary>
    public void Provision(string bootstrap) => Provision(bootstrap, Attempts, Events, Output, Commands, Actions);

    public static void Provision(string bootstrap, params string[] names)
    {
        using var connection = new KafkaConnection(Options.Create(new KafkaOptions { BootstrapServers = bootstrap }), NullLogger<KafkaConnection>.Instance);
        new TopicProvisioner(connection, NullLogger<TopicProvisioner>.Instance)
            .EnsureAsync([.. names.Select(n => new TopicSpec(n, false))], 4, 1, CancellationToken.None).GetAwaiter().GetResult();
    }
}
