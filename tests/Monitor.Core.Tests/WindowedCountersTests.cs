using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class WindowedCountersTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
    private readonly WindowedCounters _counters = new(new WindowOptions());

    [Fact]
    public void The_window_slides_with_event_time_and_old_buckets_are_pruned()
    {
        var a = new AccountAggregate { AccountId = "a" };
        _counters.Add(a, Providers.Gmail, Counters.Sent, T0, 100);
        _counters.Add(a, Providers.Yahoo, Counters.Sent, T0 + 10 * Hour, 50);
        Assert.Equal(150, _counters.Snapshot(a).Totals.Sent);

        _counters.Add(a, Providers.Yahoo, Counters.Delivered, T0 + 25 * Hour);
        var w = _counters.Snapshot(a);
        Assert.Equal(50, w.Totals.Sent);
        Assert.Equal(50, w.ByProvider[Providers.Yahoo].Sent);
        Assert.Equal(0, w.ByProvider[Providers.Gmail].Sent);
        Assert.Equal(2, a.Buckets.Count);
    }

    [Fact]
    public void Events_older_than_the_window_are_late_and_change_nothing()
    {
        var a = new AccountAggregate { AccountId = "a" };
        _counters.Add(a, Providers.Gmail, Counters.Sent, T0 + 30 * Hour);
        Assert.False(_counters.Add(a, Providers.Gmail, Counters.HardBounces, T0));
        Assert.Equal(1, a.LateEvents);
        Assert.Equal(0, _counters.Snapshot(a).Totals[Counters.HardBounces]);
        Assert.True(_counters.Add(a, Providers.Gmail, Counters.HardBounces, T0 + 20 * Hour));
    }

    [Fact]
    public void Out_of_order_events_inside_the_window_land_in_their_own_bucket()
    {
        var a = new AccountAggregate { AccountId = "a" };
        _counters.Add(a, Providers.Gmail, Counters.Sent, T0 + 5 * Hour);
        _counters.Add(a, Providers.Gmail, Counters.Sent, T0 + 1 * Hour);
        _counters.Add(a, Providers.Gmail, Counters.Sent, T0 + 3 * Hour);
        Assert.Equal([T0 + Hour, T0 + 3 * Hour, T0 + 5 * Hour], a.Buckets.Select(b => b.StartMs));
        Assert.Equal(3, _counters.Snapshot(a).Totals.Sent);
    }
}
