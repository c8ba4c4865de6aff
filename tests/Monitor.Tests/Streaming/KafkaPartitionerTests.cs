using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using ReputationMonitor.Kafka;
using ReputationMonitor.Tests.Support;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// The partition processor skips the by-account topic for accounts whose partition it holds, so its partition function
/// must be the one the producer (Streamiz's <c>murmur2_random</c>) really uses: checked against the client on the broker.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class KafkaPartitionerTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Murmur2_partition_is_the_one_the_client_partitioner_gives_every_key()
    {
        var topic = $"partitioner-{Guid.NewGuid():N}";
        var partitions = await CreateAsync(topic, 7);
        Assert.True(partitions > 1, $"the topic has {partitions} partition(s): nothing would be checked");

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers, Partitioner = Partitioner.Murmur2Random, AllowAutoCreateTopics = true,
        }).Build();
        // Account ids, entity keys, multi-byte UTF-8 and every tail length of the hash.
        var keys = Enumerable.Range(0, 300).Select(i => $"{100000000000 + i * 7919}")
            .Concat(["", "a", "ab", "abc", "abcd", "account:éü", "configuration-set:123/transactional", "kafka", "giberish123456789"]);
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var delivered = await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Key = bytes, Value = [] });
            Assert.True(delivered.Partition.Value == KafkaPartitioner.Murmur2Partition(bytes, partitions),
                $"key '{key}': the client chose partition {delivered.Partition.Value}, ours {KafkaPartitioner.Murmur2Partition(bytes, partitions)}");
        }
    }

    /// <summary>CreateTopics where the broker has it; the embedded broker auto-creates with its default count instead.</summary>
    private async Task<int> CreateAsync(string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }],
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) });
        }
        catch (KafkaException e)
        {
            Console.Error.WriteLine($"[tests] CreateTopics unavailable ({e.Error.Reason}); auto-creating {topic}");
        }
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, AllowAutoCreateTopics = true }).Build();
        using var metadata = new DependentAdminClientBuilder(producer.Handle).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = metadata.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic);
            if (found is { Error.Code: ErrorCode.NoError, Partitions.Count: > 0 }) return found.Partitions.Count;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"topic {topic} did not appear: {found?.Error.Reason}");
            await Task.Yield();
        }
    }
}
