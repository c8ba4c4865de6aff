using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Streaming;

public sealed class RetentionQueueTests
{
    [Fact]
    public void Ledgers_leave_in_order_each_with_the_latest_time_of_its_second()
    {
        var queue = new RetentionQueue();
        (long Ms, UInt128 Hash)[] enqueued = [(1_000, 1), (1_900, 2), (1_200, 3), (2_000, 4), (5_500, 5), (-1, 6), (-1_000, 7), (-1_500, 8)];
        foreach (var (ms, hash) in enqueued) queue.Enqueue(ms, hash);
        Assert.Equal(8, queue.Count);

        var seen = new List<(long, UInt128)>();
        while (queue.TryPeek(out var latest, out var hash))
        {
            seen.Add((latest, hash));
            queue.Dequeue();
        }
        // Second 1 (1,000–1,999 ms) is one run; -1 ms is in second -1 with -1,000 (and -1,500 in second -2).
        Assert.Equal([(1_900L, (UInt128)1), (1_900, 2), (1_900, 3), (2_000, 4), (5_500, 5), (-1, 6), (-1, 7), (-1_500, 8)], seen);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_run_being_taken_from_still_grows_at_its_tail()
    {
        var queue = new RetentionQueue();
        queue.Enqueue(1_100, 1);
        queue.Enqueue(1_200, 2);
        Assert.True(queue.TryPeek(out var latest, out var hash));
        Assert.Equal((1_200L, (UInt128)1), (latest, hash));
        queue.Dequeue();
        queue.Enqueue(1_700, 3); // same second: the run now ends at 1,700
        Assert.True(queue.TryPeek(out latest, out hash));
        Assert.Equal((1_700L, (UInt128)2), (latest, hash));
        queue.Dequeue();
        queue.Dequeue();
        Assert.False(queue.TryPeek(out _, out _));
        queue.Enqueue(1_800, 4); // the same second again, after the run was emptied: a new run
        Assert.True(queue.TryPeek(out latest, out hash));
        Assert.Equal((1_800L, (UInt128)4), (latest, hash));
    }
}
