using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Kafka;
using ReputationMonitor.PartitionRuntime;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// The partition processor's restores run off the assignment callback, on the restorer's thread: a partition revoked in the
/// middle of its restore has it stopped and dropped — it never becomes a task with half its state — while the other
/// partitions' restores go on; assigned again, it is restored in full.
/// </summary>
public sealed class StateRestorerTests
{
    private const string Changelog = "restorer-test-changelog";
    private const int Large = 5_000, Small = 100;

    [Fact]
    public void A_partition_revoked_mid_restore_is_dropped_and_restored_in_full_when_assigned_again()
    {
        using var broker = new EmbeddedKafkaBroker();
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < Large; i++) Produce(producer, 0, $"a/{i}");
            for (var i = 0; i < Small; i++) Produce(producer, 1, $"b/{i}");
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        using var restorer = new StateRestorer(new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers, GroupId = "restorer-test", EnableAutoCommit = false, FetchWaitMaxMs = 10,
        }), Changelog);
        using var midway = new ManualResetEventSlim();
        using var revoked = new ManualResetEventSlim();
        restorer.Progressed = partition =>
        {
            if (partition != 0 || midway.IsSet) return;
            midway.Set();
            revoked.Wait(); // hold the restore here until the partition is revoked
        };

        restorer.Begin(0);
        restorer.Begin(1);
        Assert.True(midway.Wait(TimeSpan.FromSeconds(30)), "the restore of partition 0 never got going");
        restorer.Cancel(0);
        revoked.Set();

        var first = Take(restorer);
        Assert.Equal(1, first.Partition);
        Assert.Equal(Small, first.Entries!.Count);
        Assert.Equal(0, restorer.Pending);
        Assert.False(restorer.TryTake(out _));
        Assert.True(restorer.RecordsRestored < Large, $"the revoked restore read {restorer.RecordsRestored - Small} of {Large} records");

        restorer.Begin(0);
        var again = Take(restorer);
        Assert.Equal(0, again.Partition);
        Assert.Equal(Large, again.Entries!.Count);
        Assert.Null(again.Failure);
    }

    private static void Produce(IProducer<byte[], byte[]> producer, int partition, string key) =>
        producer.Produce(new TopicPartition(Changelog, partition), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = [1, 2, 3] });

    private static StateRestorer.Restored Take(StateRestorer restorer)
    {
        StateRestorer.Restored? restored = null;
        Assert.True(SpinWait.SpinUntil(() => restorer.TryTake(out restored), TimeSpan.FromSeconds(60)), "no restore finished");
        return restored!;
    }
}
