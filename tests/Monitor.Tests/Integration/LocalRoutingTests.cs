using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Observability;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The partition runtime sends a record straight to its account's engine when this instance holds the account's by-account
/// partition (<c>Kafka:SkipRepartitionWhenLocal</c>); the outcome is the same as through the topic — only the topic is not written.
/// (Two instances, where some records take each route, are <see cref="ScaleOutTests"/>.)
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LocalRoutingTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly string[] Accounts = ["970000000001", "970000000002", "970000000003"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_instance_processes_the_day_with_or_without_the_by_account_topic(bool skipWhenLocal)
    {
        var settings = MonitorInstance.OnRuntime(StreamRuntime.Partition);
        settings["Kafka:SkipRepartitionWhenLocal"] = skipWhenLocal.ToString();
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, settings);
        // Process-wide and only growing (other tests may add to it at the same time): this run's records at least.
        var routed = skipWhenLocal ? MonitorMetrics.RoutedLocal : MonitorMetrics.RoutedRepartition;
        var routedBefore = routed.Value;
        foreach (var account in Accounts)
        {
            await monitor.ProduceAsync(monitor.SendAttemptsTopic, Attempts(account, ids: account));
            await monitor.ProduceAsync(monitor.EventsTopic, Events(account, ids: account));
        }

        await AssertEveryDayEndedAsync(monitor, Accounts);
        var parsed = Accounts.Length * (Attempts(Accounts[0]).Count + Events(Accounts[0]).Count);
        Assert.Equal(skipWhenLocal ? 0 : parsed, RecordsIn(monitor.Service<ReputationEngineSettings>().Topics.RepartitionTopic));
        Assert.True(routed.Value - routedBefore >= parsed, $"reputation_records_routed_total grew by {routed.Value - routedBefore}, expected >= {parsed}");
    }

    private long RecordsIn(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "watermarks" }).Build();
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic).Partitions;
        return partitions.Sum(p =>
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10));
            return marks.High.Value - marks.Low.Value;
        });
    }
}
