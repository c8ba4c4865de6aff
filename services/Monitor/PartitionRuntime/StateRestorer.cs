using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// Restores by-account partitions from their changelog on a thread and consumer of its own (Kafka Streams'
/// <c>StateUpdater</c>), so that the partitions-assigned callback returns at once and the poll loop keeps polling — the
/// partitions being restored are paused meanwhile. A partition revoked before its restore ends is <see cref="Cancel">cancelled</see>:
/// its restore stops at the next batch and its result, if any, is dropped; assigned again, it is restored again.
/// </summary>
public sealed class StateRestorer : IDisposable
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(120);
    private const int ProgressEvery = 1_000;

    /// <summary>A finished restore: the partition's entries, or why it failed.</summary>
    public sealed record Restored(int Partition, ChangeloggedEntries? Entries, Exception? Failure, long ElapsedMs);

    private readonly IConsumer<byte[], byte[]> _consumer; // the restorer thread's only
    private readonly string _changelog;
    private readonly BlockingCollection<(int Partition, long Generation)> _requests = new();
    private readonly ConcurrentQueue<(Restored Result, long Generation)> _done = new();
    /// <summary>The restore wanted per partition (its generation); a result of any other generation is stale.</summary>
    private readonly ConcurrentDictionary<int, long> _wanted = new();
    private readonly Thread _thread;
    private long _generation;
    private long _recordsRestored;

    public StateRestorer(ConsumerBuilder<byte[], byte[]> builder, string changelog)
    {
        _consumer = builder.Build();
        _changelog = changelog;
        _thread = new Thread(Loop) { Name = "state-restorer", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Called on the restorer's thread every <see cref="ProgressEvery"/> records of a partition (progress, tests).</summary>
    internal Action<int>? Progressed { get; set; }

    /// <summary>Changelog records read so far, over every restore.</summary>
    public long RecordsRestored => Interlocked.Read(ref _recordsRestored);

    /// <summary>Partitions whose restore is wanted and not yet taken.</summary>
    public int Pending => _wanted.Count;

    public void Begin(int partition)
    {
        var generation = Interlocked.Increment(ref _generation);
        _wanted[partition] = generation;
        _requests.Add((partition, generation));
    }

    public void Cancel(int partition) => _wanted.TryRemove(partition, out _);

    /// <summary>The next finished restore that is still wanted (stale ones are dropped on the way).</summary>
    public bool TryTake(out Restored restored)
    {
        while (_done.TryDequeue(out var done))
        {
            if (!_wanted.TryGetValue(done.Result.Partition, out var generation) || generation != done.Generation) continue;
            _wanted.TryRemove(done.Result.Partition, out _);
            restored = done.Result;
            return true;
        }
        restored = null!;
        return false;
    }

    private bool IsWanted(int partition, long generation) => _wanted.TryGetValue(partition, out var g) && g == generation;

    private void Loop()
    {
        foreach (var (partition, generation) in _requests.GetConsumingEnumerable())
        {
            if (!IsWanted(partition, generation)) continue;
            var started = Environment.TickCount64;
            try
            {
                if (Restore(partition, generation) is { } entries)
                    _done.Enqueue((new Restored(partition, entries, null, Environment.TickCount64 - started), generation));
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                _done.Enqueue((new Restored(partition, null, e, Environment.TickCount64 - started), generation));
            }
        }
    }

    /// <summary>A partition's state as of its changelog's end (Streamiz keeps it the same way: key UTF-8, value bytes, null =
    /// deleted); null if the restore was cancelled.</summary>
    private ChangeloggedEntries? Restore(int partition, long generation)
    {
        var entries = new ChangeloggedEntries();
        var tp = new TopicPartition(_changelog, partition);
        var marks = _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
        if (marks.High.Value <= marks.Low.Value) return entries;
        _consumer.Assign(new TopicPartitionOffset(tp, marks.Low));
        try
        {
            var stalledAt = Environment.TickCount64 + (long)StallTimeout.TotalMilliseconds;
            var last = marks.Low.Value - 1;
            var read = 0;
            while (last < marks.High.Value - 1)
            {
                if (!IsWanted(partition, generation)) return null;
                var record = _consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (record is null)
                {
                    if (Environment.TickCount64 > stalledAt)
                        throw new TimeoutException($"restoring {tp}: at offset {last + 1} of {marks.High.Value}, nothing read for {StallTimeout.TotalSeconds:N0} s");
                    continue;
                }
                stalledAt = Environment.TickCount64 + (long)StallTimeout.TotalMilliseconds;
                entries.Restore(Encoding.UTF8.GetString(record.Message.Key), record.Message.Value);
                last = record.Offset.Value;
                Interlocked.Increment(ref _recordsRestored);
                Observability.MonitorMetrics.StateRecordsRestored.Inc();
                if (++read % ProgressEvery == 0) Progressed?.Invoke(partition);
            }
        }
        finally
        {
            _consumer.Unassign();
        }
        return entries;
    }

    public void Dispose()
    {
        _wanted.Clear(); // a restore under way stops at its next record
        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
        _consumer.Close();
        _consumer.Dispose();
    }
}
