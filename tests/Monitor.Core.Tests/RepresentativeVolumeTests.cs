using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// A low-volume sender: 50 recipients a day for 60 days (day 0 to 59, at noon), 4 hard bounces a day (8 %) until day 39 and
/// 1 (2 %) from day 40. The series is read at day 59, 14:00: the 24 h window holds day 59 alone.
/// </summary>
public sealed class RepresentativeVolumeTests
{
    private const long Hour = 3_600_000, Day = 24 * Hour;
    private static readonly long Day0 = DateTimeOffset.Parse("2026-09-01T00:00:00Z").ToUnixTimeMilliseconds();
    private static readonly long Now = Day0 + 59 * Day + 14 * Hour;
    private readonly WindowedCounters _counters = new(new WindowOptions(), history: TimeSpan.FromDays(180));

    private EntityWindows Series(bool keepHistory = true)
    {
        var w = new EntityWindows();
        if (keepHistory) w.KeepHistory();
        for (var d = 0; d < 60; d++)
        {
            var noon = Day0 + d * Day + 12 * Hour;
            _counters.Add(w, Providers.Gmail, Counters.Sent, noon, 50);
            _counters.Add(w, Providers.Gmail, Counters.HardBounces, noon + 60_000, d < 40 ? 4 : 1);
        }
        _counters.Add(w, Providers.Gmail, Counters.Delivered, Now, 0);
        return w;
    }

    [Fact]
    public void Over_the_last_2000_recipients_the_rate_reaches_back_40_days_and_is_5_percent_where_the_day_shows_2_percent_of_50()
    {
        var w = Series();
        var day = _counters.Snapshot(w);
        Assert.Equal((50, 1), (day.Totals.Sent, day.Totals[Counters.HardBounces]));

        // Day 59 from the hours, then days 58, 57, ... 20 from the history: 40 days × 50 = 2,000; 20 × 4 + 20 × 1 = 100.
        var r = _counters.Representative(w, new Evaluation(EvaluationOptions.RepresentativeVolume, 2000, TimeSpan.FromDays(180)));
        Assert.Equal((2000, 100), (r.Totals.Sent, r.Totals[Counters.HardBounces]));
        Assert.Equal(0.05, r.BounceRate, 9);
        Assert.Equal(Day0 + 20 * Day, r.StartMs);
        Assert.Equal(Now - (Day0 + 20 * Day), (long)r.Window.TotalMilliseconds);
        Assert.Equal(2000, r.Representative);

        // What the rate rules make of each: the day is below the bounce rule's minimum volume; the representative volume is a review.
        var rules = new RateRules(new RateThresholds());
        Assert.Null(rules.Assess(day));
        Assert.Equal(RateRules.BounceReview, rules.Assess(r)!.Rule);
        Assert.Equal(r.RateTotals, _counters.EvaluatedTotals(w, new Evaluation(EvaluationOptions.RepresentativeVolume, 2000, TimeSpan.FromDays(180))));
    }

    [Fact]
    public void The_maximum_age_stops_the_reach_and_whole_buckets_are_counted()
    {
        var w = Series();
        // Back to day 59 14:00 − 30 days: days 30 to 58 from the history and day 59: 1,500 recipients, 10 × 4 + 20 × 1 = 60.
        var capped = _counters.Representative(w, new Evaluation(EvaluationOptions.RepresentativeVolume, 10_000, TimeSpan.FromDays(30)));
        Assert.Equal((1500, 60), (capped.Totals.Sent, capped.Totals[Counters.HardBounces]));
        Assert.Equal(0.04, capped.BounceRate, 9);
        // A volume that falls inside a day takes the whole day: 1,020 → 21 days, 1,050 recipients, 20 × 1 + 4 = 24.
        var partial = _counters.Representative(w, new Evaluation(EvaluationOptions.RepresentativeVolume, 1020, TimeSpan.FromDays(180)));
        Assert.Equal((1050, 24), (partial.Totals.Sent, partial.Totals[Counters.HardBounces]));
        // In window mode the evaluation is the 24 h window.
        Assert.Equal(_counters.Snapshot(w).Totals.Values, _counters.Evaluated(w, Evaluation.ByWindow).Totals.Values);
    }

    [Fact]
    public void History_is_kept_only_for_entities_that_keep_it_and_only_as_long_as_configured()
    {
        Assert.Null(Series(keepHistory: false).Days);
        Assert.Equal(59, Series().Days!.Count); // days 0 to 58; day 59 is still in the hours
        var shortHistory = new WindowedCounters(new WindowOptions(), history: TimeSpan.FromDays(10));
        var w = new EntityWindows();
        w.KeepHistory();
        for (var d = 0; d < 60; d++) shortHistory.Add(w, Providers.Gmail, Counters.Sent, Day0 + d * Day + 12 * Hour, 50);
        Assert.Equal(Day0 + 49 * Day, w.Days![0].StartMs); // the days that ended more than 10 days before the stream time are gone
        Assert.Equal(9, w.Days.Count);
        // A fresh start (after a resume) is respected: nothing before it counts.
        var fresh = _counters.Representative(Series(), new Evaluation(EvaluationOptions.RepresentativeVolume, 2000, TimeSpan.FromDays(180)),
            notBeforeMs: Day0 + 50 * Day);
        Assert.Equal(500, fresh.Totals.Sent);
    }
}
