using Confluent.Kafka;
using ReputationMonitor.Observability;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// Tasks revoked by a rebalance (the assignment is eager: every partition is revoked, then assigned again), with their
/// changelog partition's end after their last flush. Given back by the same rebalance with that end unchanged — nobody
/// wrote their state since — a task carries on as it was instead of being restored from the changelog; otherwise it is
/// closed. Without this, every member joining or leaving would have every instance restore all of its state.
/// Used from the consumer's thread (the rebalance callbacks); the tasks themselves are touched on the lane only.
/// </summary>
internal sealed class KeptTasks(EngineLane<EngineTask> lane, IConsumer<byte[], byte[]> consumer, string changelog, ILogger logger)
{
    private readonly Dictionary<int, (EngineTask Task, long ChangelogEnd)> _kept = [];

    /// <summary>The revoked tasks (just committed), taken out of <paramref name="tasks"/> and set aside with their changelog's end.</summary>
    public void Keep(IEnumerable<int> partitions, Dictionary<int, EngineTask> tasks)
    {
        var taken = new List<(int Partition, EngineTask Task)>();
        lane.Run(() =>
        {
            foreach (var p in partitions)
                if (tasks.Remove(p, out var task)) taken.Add((p, task));
        });
        foreach (var (p, task) in taken)
        {
            if (ChangelogEnd(p) is { } end) _kept[p] = (task, end);
            else lane.Run(() => task.Engine.Close());
        }
    }

    /// <summary>A task revoked by this rebalance and given back, its changelog unchanged: held again as it was.</summary>
    public bool TryTakeBack(int partition, Dictionary<int, EngineTask> tasks)
    {
        if (!_kept.Remove(partition, out var kept)) return false;
        if (ChangelogEnd(partition) != kept.ChangelogEnd)
        {
            lane.Run(() => kept.Task.Engine.Close());
            return false;
        }
        lane.Run(() => tasks[partition] = kept.Task);
        logger.LogInformation("Partition {Partition} kept across the rebalance: {Entries} state entries, changelog unchanged at offset {Offset}",
            partition, kept.Task.Entries.Count, kept.ChangelogEnd);
        MonitorMetrics.PartitionsKept.Inc();
        return true;
    }

    /// <summary>Closes what was not given back: their next owner restores them.</summary>
    public void DropAll()
    {
        if (_kept.Count == 0) return;
        var dropped = _kept.Values.Select(k => k.Task).ToList();
        _kept.Clear();
        lane.Run(() =>
        {
            foreach (var task in dropped) task.Engine.Close();
        });
    }

    /// <summary>The end of a partition's changelog (everything this instance produced is acknowledged by then), or null
    /// if the broker cannot say: the task is then restored, as it would be without keeping.</summary>
    private long? ChangelogEnd(int partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(new TopicPartition(changelog, partition), TimeSpan.FromSeconds(5)).High.Value;
        }
        catch (KafkaException e)
        {
            logger.LogInformation("The end of {Changelog} [{Partition}] is unknown ({Reason}): the partition is restored", changelog, partition,
                e.Error.Reason);
            return null;
        }
    }
}
