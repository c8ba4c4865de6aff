using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Forecasting;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// Forecasts on synthetic hourly series whose crossings are worked out by hand in each test: the window's counts after k
/// of its oldest hours have left and t hours of mail at the trend have entered.
/// </summary>
public sealed class ForecastTests
{
    private const long Hour = 3_600_000;
    private static readonly long Now = DateTimeOffset.Parse("2026-11-20T23:59:59.999Z").ToUnixTimeMilliseconds(); // the end of an hour
    private static readonly long CurrentHour = Now + 1 - Hour;
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly RateForecaster _forecaster = new(new ForecastOptions(), new RateThresholds(), new WindowOptions());

    /// <summary>24 hours ending now: the first <paramref name="oldHours"/> with one volume and bounce count, the rest with another.</summary>
    private EntityWindows Series(int oldHours, int oldSent, int oldBounces, int newSent, int newBounces, int complaintsPerHour = 0)
    {
        var w = new EntityWindows();
        for (var h = 0; h < 24; h++)
        {
            var at = CurrentHour - (23 - h) * Hour;
            var (sent, bounces) = h < oldHours ? (oldSent, oldBounces) : (newSent, newBounces);
            _counters.Add(w, Providers.Gmail, Counters.Sent, at, sent);
            if (bounces > 0) _counters.Add(w, Providers.Gmail, Counters.HardBounces, at + 1, bounces);
            if (complaintsPerHour > 0) _counters.Add(w, Providers.Gmail, Counters.Complaints, at + 2, complaintsPerHour);
        }
        _counters.Add(w, Providers.Gmail, Counters.Delivered, Now, 0); // stream time at the hour's end
        return w;
    }

    [Fact]
    public void A_rising_bounce_rate_is_forecast_to_cross_review_and_pause_when_the_old_hours_have_left()
    {
        // 18 h at 1 % (200/h, 2 bounces), the last 6 h at 10 % (20 bounces): 156 / 4,800 = 3.25 % now, trend 10 %.
        // Review (5 %): after k old hours left and t hours at the trend, X − 0.05·S = −84 + 8k + 10t, first ≥ 0 when the fifth
        // old hour leaves: t = 5 h. Pause (10 %): −324 + 18k, the trend adds nothing: when the 18th leaves, t = 18 h.
        var f = _forecaster.Project(Series(18, 200, 2, 200, 20))!;

        Assert.Equal(200, f.Basis.PerHour, 6);
        Assert.Equal(1200, f.Basis.Recipients);
        Assert.Equal(156 / 4800.0, f.Bounce.Rate, 9);
        Assert.Equal(0.10, f.Bounce.Trend, 9);
        Assert.InRange(f.Bounce.Low, 0.07, 0.10);
        Assert.InRange(f.Bounce.High, 0.10, 0.13);
        Assert.Equal(5.0, f.Bounce.Review!.ExpectedInHours, 1);
        Assert.Equal(18.0, f.Bounce.Pause!.ExpectedInHours, 1);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Now).AddHours(5), f.Bounce.Review.ExpectedAt, TimeSpan.FromMinutes(6));
        // At the interval's low end (≈ 8.5 %): −84 + 8k + 7.1t, first ≥ 0 when the sixth old hour leaves. The pause at the low
        // end (−324 + 18k − 2.9t, k at most 18) is never reached: 8.5 % a day long stays under 10 %.
        Assert.Equal(6.0, f.Bounce.Review.ConfidentInHours!.Value, 1);
        Assert.Null(f.Bounce.Pause.ConfidentInHours);
        Assert.Null(f.Bounce.Pause.ConfidentAt);
        Assert.Null(f.Complaint.Review);
    }

    [Fact]
    public void A_steady_healthy_series_has_no_crossing()
    {
        var f = _forecaster.Project(Series(18, 200, 2, 200, 2))!;
        Assert.Equal(0.01, f.Bounce.Trend, 9);
        Assert.All(f.Metrics, m => Assert.Null(m.Review));
        Assert.All(f.Metrics, m => Assert.Null(m.Pause));
    }

    [Fact]
    public void A_falling_rate_has_no_crossing_even_while_the_window_is_still_high()
    {
        // 18 h at 4.5 %, the last 6 h back at 1 %: 3.6 % now and falling.
        var f = _forecaster.Project(Series(18, 200, 9, 200, 2))!;
        Assert.Equal(0.036, f.Bounce.Rate, 3);
        Assert.Null(f.Bounce.Review);
        Assert.Null(f.Bounce.Pause);
    }

    [Fact]
    public void A_handful_of_messages_gives_no_forecast_however_bad_they_are()
    {
        // 15 recipients an hour, 3 of them bouncing (20 %): 90 in the trend hours, under the 100 a trend needs.
        Assert.Null(_forecaster.Project(Series(18, 15, 3, 15, 3)));
        Assert.Empty(new ForecastRules(new ForecastOptions()).Evaluate(View(Series(18, 15, 3, 15, 3), EntityStatus.Healthy)).Findings);
        // A new sender's first 120 recipients at 20 %: the bounce rule's minimum volume (200) is 4 h away at 20 an hour, so
        // that is when the crossing is expected, not now.
        var f = _forecaster.Project(Series(18, 0, 0, 20, 4))!;
        Assert.Equal(4.0, f.Bounce.Review!.ExpectedInHours, 1);
    }

    [Fact]
    public void Complaints_are_forecast_against_their_own_thresholds_and_minimum_volume()
    {
        // 1,000 an hour, 2 complaints an hour (0.2 %) throughout: over review (0.1 %) with volume already; under pause (0.5 %).
        var f = _forecaster.Project(Series(18, 1000, 0, 1000, 0, complaintsPerHour: 2))!;
        Assert.Equal(0.002, f.Complaint.Trend, 9);
        Assert.Equal(0, f.Complaint.Review!.ExpectedInHours, 3); // already there: the rate rules' business
        Assert.Null(f.Complaint.Pause);
    }

    [Fact]
    public void A_steep_rise_raises_a_review_finding_within_the_horizon_and_a_pause_finding_only_once_it_is_near()
    {
        // 18 h at 1,000/h and 1 %, the last 6 h at 1,000/h and 12 %: 3.75 % now. Review: −300 + 40k + 70t, first ≥ 0 when the
        // third old hour leaves (3 h); pause (10 %): −1,500 + 90k + 20t, when the 14th does (14 h), beyond the 6 h horizon.
        var w = Series(18, 1000, 10, 1000, 120);
        var view = View(w, EntityStatus.Healthy);
        var findings = new ForecastRules(new ForecastOptions()).Evaluate(view).Findings;

        var review = Assert.Single(findings);
        Assert.Equal("forecast-review:bounce", review.Rule);
        Assert.Equal("monitoring", review.Pillar);
        Assert.Equal(EntityStatus.Healthy, review.To); // a finding: no status changes
        Assert.Equal(3.0, review.Evidence.Rates["expectedInHours"], 1);
        Assert.Contains("heading for 5.00 %", review.Reason);
        Assert.Empty(new ForecastRules(new ForecastOptions()).Evaluate(View(w, EntityStatus.Healthy, w.Findings)).Findings); // once per slice

        // Under review already: only the pause is forecast, and with a 24 h horizon it is a finding.
        var pause = new ForecastRules(new ForecastOptions { Horizon = TimeSpan.FromHours(24) }).Evaluate(View(Series(18, 1000, 10, 1000, 120),
            EntityStatus.UnderReview)).Findings;
        Assert.Equal("forecast-pause:bounce", Assert.Single(pause).Rule);
        Assert.Equal(14.0, pause[0].Evidence.Rates["expectedInHours"], 1);
    }

    [Fact]
    public void Nothing_is_forecast_for_a_paused_entity()
    {
        Assert.Empty(new ForecastRules(new ForecastOptions()).Evaluate(View(Series(18, 1000, 10, 1000, 120), EntityStatus.Paused)).Findings);
    }

    private EntityView View(EntityWindows w, string status, Dictionary<string, long>? raised = null)
    {
        if (raised is not null) w.Findings = raised;
        return new EntityView(_counters, TimeSpan.FromMinutes(15), Dimensions.Account, "account", "111122223333", w,
            new EntityState { Status = status }, () => status, []) { Forecaster = _forecaster };
    }
}
