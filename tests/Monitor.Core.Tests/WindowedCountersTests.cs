using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class WindowedCountersTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private static readonly long Minute = 60_000, Hour = 60 * Minute;
    private readonly WindowedCounters _counters = new(new WindowOptions());

    [Fact]
    public void The_long_window_slides_by_the_hour_with_event_time_and_old_buckets_are_pruned()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0, 100);
        _counters.Add(w, Providers.Yahoo, Counters.Sent, T0 + 10 * Hour, 50);
        Assert.Equal(150, _counters.Snapshot(w).Totals.Sent);

        _counters.Add(w, Providers.Yahoo, Counters.Delivered, T0 + 25 * Hour);
        var s = _counters.Snapshot(w);
        Assert.Equal(50, s.Totals.Sent);
        Assert.Equal(50, s.ByProvider[Providers.Yahoo].Sent);
        Assert.Equal(0, s.ByProvider[Providers.Gmail].Sent);
        Assert.Equal(2, w.Hours.Count);
    }

    /// <summary>The kept totals the per-record rate check reads are the long snapshot's totals, whatever the order of
    /// events (late ones, refused ones, hours leaving the window, negative moves of a provider refinement), with or without
    /// a fresh start, and after the windows were stored and read back (the totals are not stored).</summary>
    [Fact]
    public void Kept_long_window_totals_equal_the_snapshot_totals_after_every_move()
    {
        var random = new Random(7);
        var w = new EntityWindows();
        var now = T0;
        for (var i = 0; i < 5_000; i++)
        {
            now += random.Next(0, 3) * 7 * Minute;
            var at = now - random.Next(0, 30) * Hour; // some late, some refused as older than the window
            var counter = random.Next(Counters.Count);
            _counters.Add(w, random.Next(Providers.Count), counter, at, random.Next(10) == 0 ? -1 : random.Next(1, 4));
            if (i % 500 == 0) w = System.Text.Json.JsonSerializer.Deserialize<EntityWindows>(System.Text.Json.JsonSerializer.Serialize(w))!;
            var notBefore = i % 3 == 0 ? now - random.Next(0, 30) * Hour : 0;
            Assert.Equal(_counters.Snapshot(w, WindowKind.Long, notBefore).RateTotals, _counters.LongTotals(w, notBefore));
        }
        Assert.True(_counters.LongTotals(w).Sent > 0);
    }

    [Fact]
    public void The_short_window_keeps_minutes_for_one_hour_only()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Throttled, T0, 7);
        _counters.Add(w, Providers.Gmail, Counters.Throttled, T0 + 30 * Minute, 3);
        Assert.Equal(10, _counters.Snapshot(w, WindowKind.Short).Totals[Counters.Throttled]);

        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + 61 * Minute);
        var shortWindow = _counters.Snapshot(w, WindowKind.Short);
        Assert.Equal(3, shortWindow.Totals[Counters.Throttled]);
        Assert.Equal(10, _counters.Snapshot(w, WindowKind.Long).Totals[Counters.Throttled]);
        Assert.Equal(2, w.Minutes.Count);
        Assert.True(w.Minutes.Count <= 60 && w.Hours.Count <= 25);
    }

    [Fact]
    public void State_stays_bounded_however_long_an_entity_lives()
    {
        var w = new EntityWindows();
        for (var m = 0; m < 3 * 24 * 60; m += 7)
            _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + m * Minute);
        Assert.InRange(w.Minutes.Count, 1, 60);
        Assert.InRange(w.Hours.Count, 1, 25);
    }

    [Fact]
    public void Events_older_than_the_window_are_late_and_change_nothing()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + 30 * Hour);
        Assert.False(_counters.Add(w, Providers.Gmail, Counters.HardBounces, T0));
        Assert.Equal(1, w.LateEvents);
        Assert.Equal(0, _counters.Snapshot(w).Totals[Counters.HardBounces]);
        Assert.True(_counters.Add(w, Providers.Gmail, Counters.HardBounces, T0 + 20 * Hour));
        Assert.Equal(0, _counters.Snapshot(w, WindowKind.Short).Totals[Counters.HardBounces]);
    }

    [Fact]
    public void Out_of_order_events_inside_the_window_land_in_their_own_bucket()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + 5 * Hour);
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + 1 * Hour);
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + 3 * Hour);
        Assert.Equal([T0 + Hour, T0 + 3 * Hour, T0 + 5 * Hour], w.Hours.Select(b => b.StartMs));
        Assert.Equal(3, _counters.Snapshot(w).Totals.Sent);
    }

    [Fact]
    public void Responses_are_counted_by_provider_and_rule()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Delayed, T0, responseRule: "gmail-4.7.28-rate");
        _counters.Add(w, Providers.Gmail, Counters.Delayed, T0, responseRule: "gmail-4.7.28-rate");
        _counters.Add(w, Providers.Yahoo, Counters.SoftBounces, T0, responseRule: "yahoo-tss04");
        var s = _counters.Snapshot(w, WindowKind.Short);
        Assert.Equal(2, s.Responses["gmail|gmail-4.7.28-rate"]);
        Assert.Equal(1, s.Responses["yahoo|yahoo-tss04"]);
    }
}

public sealed class RecentSliceTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());

    [Fact]
    public void The_feedback_slice_holds_the_last_fifteen_minute_buckets()
    {
        var w = new EntityWindows();
        for (var m = 0; m < 40; m++) _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + m * 60_000L + 30_000);
        var slice = _counters.Recent(w, TimeSpan.FromMinutes(15));
        Assert.Equal(15, slice.Totals.Sent);               // minutes 25..39
        Assert.Equal(T0 + 25 * 60_000L, slice.StartMs);
    }
}

public sealed class StateSerializationTests
{
    [Fact]
    public void Windows_round_trip_through_json_holding_only_the_providers_each_bucket_saw()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var w = new EntityWindows();
        var t0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
        counters.Add(w, Providers.Yahoo, Counters.Sent, t0, 7);
        counters.Add(w, Providers.Other, Counters.Suppressed, t0 + 90 * 60_000, 2, "rule-x");
        var json = System.Text.Json.JsonSerializer.Serialize(w, CoreJsonContext.Default.EntityWindows);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, CoreJsonContext.Default.EntityWindows)!;
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, CoreJsonContext.Default.EntityWindows));
        Assert.Equal(7, counters.Snapshot(back).ByProvider[Providers.Yahoo].Sent);
        Assert.Equal(2, counters.Snapshot(back).ByProvider[Providers.Other][Counters.Suppressed]);
        Assert.All(back.Hours, h => Assert.Equal(Counters.Count, h.Counts.Length)); // one provider's slice each, not six
    }
}
