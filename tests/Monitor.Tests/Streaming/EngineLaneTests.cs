using ReputationMonitor.Engine;
using ReputationMonitor.PartitionRuntime;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The partition processor's engine lane: order, the barrier, failures surfacing on the consumer's thread, idle ticks.</summary>
public sealed class EngineLaneTests
{
    private static EngineLane<int>.Work Record(int n) => new(n, new StreamInput(), null, "t");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Records_run_in_order_and_a_barrier_runs_after_everything_handed_over_before_it(bool ownThread)
    {
        var seen = new List<int>();
        using var lane = new EngineLane<int>(ownThread, 60_000, w => seen.Add(w.Task), () => { });
        for (var i = 0; i < 1000; i++) lane.Add(Record(i)); // several full batches and a partial one, never flushed by hand
        var countAtBarrier = -1;
        lane.Run(() => countAtBarrier = seen.Count);
        Assert.Equal(1000, countAtBarrier);
        Assert.Equal(Enumerable.Range(0, 1000), seen);
    }

    [Fact]
    public void An_engine_failure_on_the_lane_is_thrown_on_the_consumers_thread_and_nothing_after_it_runs()
    {
        var seen = new List<int>();
        using var lane = new EngineLane<int>(ownThread: true, 60_000, w =>
        {
            if (w.Task == 5) throw new InvalidOperationException("engine broke");
            seen.Add(w.Task);
        }, () => { });
        for (var i = 0; i < 10; i++) lane.Add(Record(i));
        var ran = false;
        var e = Assert.Throws<InvalidOperationException>(() => lane.Run(() => ran = true));
        Assert.Equal("engine broke", e.Message);
        Assert.False(ran);
        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.Throws<InvalidOperationException>(() => lane.Flush()); // and it stays failed
    }

    [Fact]
    public void An_idle_lane_still_ticks()
    {
        using var ticked = new SemaphoreSlim(0);
        using var lane = new EngineLane<int>(ownThread: true, 20, _ => { }, () => ticked.Release());
        Assert.True(ticked.Wait(TimeSpan.FromSeconds(10)), "no tick within 10 s");
        Assert.True(ticked.Wait(TimeSpan.FromSeconds(10)), "no second tick within 10 s");
    }

    [Fact]
    public void Inline_nothing_waits_and_the_tick_runs_only_when_asked()
    {
        var ticks = 0;
        var seen = new List<int>();
        using var lane = new EngineLane<int>(ownThread: false, 0, w => seen.Add(w.Task), () => ticks++);
        lane.Add(Record(1));
        Assert.False(lane.HasPending);
        Assert.Equal([1], seen);
        Assert.Equal(0, ticks);
        lane.TickIfDue();
        Assert.Equal(1, ticks);
    }
}
