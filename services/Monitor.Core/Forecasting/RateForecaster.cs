using MathNet.Numerics.Distributions;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Forecasting;

/// <summary>
/// Projects an entity's evaluation-window rates forward. The recent hours give a trend — recipients per hour and the bounce
/// and complaint rates, each hour weighted down exponentially with its age — and the trend rate's Wilson interval at the
/// configured confidence, so that a small sample gives a wide interval rather than a confident alarm. The window is then
/// slid forward: mail at the trend enters it, the oldest hours leave it when their time comes, and the first moment the
/// window's rate reaches a threshold with the rule's minimum volume is the crossing. Between two hours leaving, the window's
/// counts grow linearly, so each stretch is solved exactly rather than stepped through.
/// </summary>
public sealed class RateForecaster
{
    private readonly ForecastOptions _options;
    private readonly RateThresholds _thresholds;
    private readonly long _windowMs, _hourMs, _lookaheadMs;
    private readonly double _z;

    public RateForecaster(ForecastOptions options, RateThresholds thresholds, WindowOptions window)
    {
        _options = options;
        _thresholds = thresholds;
        _windowMs = (long)window.Window.TotalMilliseconds;
        _hourMs = (long)window.RollupSize.TotalMilliseconds;
        _lookaheadMs = Math.Min((long)options.Lookahead.TotalMilliseconds, _windowMs);
        _z = Normal.InvCDF(0, 1, options.Confidence);
    }

    public ForecastOptions Options => _options;

    /// <param name="evaluateFromMs">The entity's evaluation start (a fresh start after a resume), 0 for the whole window.</param>
    /// <returns>Null when the trend hours hold fewer than <see cref="ForecastOptions.MinTrendVolume"/> recipients.</returns>
    public Forecast? Project(EntityWindows w, long evaluateFromMs = 0)
    {
        var now = w.StreamTimeMs;
        if (now <= 0) return null;
        var windowStart = now - _windowMs;
        var currentHour = now - (((now % _hourMs) + _hourMs) % _hourMs);
        var trendFrom = currentHour - (_options.TrendHours - 1) * _hourMs;
        var since = Math.Max(Math.Max(evaluateFromMs, w.FirstSeenMs), windowStart);

        var hours = new List<(long LeavesAtMs, long Sent, long Bounces, long Complaints)>(w.Hours.Count);
        long sent = 0, bounces = 0, complaints = 0, trendSent = 0;
        double wSent = 0, wBounces = 0, wComplaints = 0, wDuration = 0;
        foreach (var b in w.Hours)
        {
            if (b.StartMs + _hourMs <= windowStart || b.StartMs < evaluateFromMs) continue;
            long s = 0, hb = 0, c = 0;
            for (var p = 0; p < Providers.Count; p++)
            {
                s += b.Get(p, Counters.Sent);
                hb += b.Get(p, Counters.HardBounces);
                c += b.Get(p, Counters.Complaints);
            }
            hours.Add((b.StartMs + _hourMs + _windowMs, s, hb, c));
            sent += s;
            bounces += hb;
            complaints += c;
            if (b.StartMs < trendFrom) continue;
            // The hour's weight halves every HalfLifeHours of age; the current hour and the entity's first one count for the
            // part of the hour they cover, so a young hour's few recipients do not read as a slow hour.
            var weight = Math.Pow(0.5, (currentHour - b.StartMs) / (double)_hourMs / _options.HalfLifeHours);
            var covered = Math.Clamp(Math.Min(b.StartMs + _hourMs, now + 1) - Math.Max(b.StartMs, since), _hourMs / 60, _hourMs) / (double)_hourMs;
            trendSent += s;
            wSent += weight * s;
            wBounces += weight * hb;
            wComplaints += weight * c;
            wDuration += weight * covered;
        }
        if (trendSent < _options.MinTrendVolume || wSent <= 0 || wDuration <= 0) return null;

        var perHour = wSent / wDuration;
        var perMs = perHour / _hourMs;
        hours.Sort((a, b) => a.LeavesAtMs.CompareTo(b.LeavesAtMs));
        var basis = new ForecastBasis(_options.TrendHours, trendSent, perHour, _options.Confidence, DateTimeOffset.FromUnixTimeMilliseconds(now));
        return new Forecast(basis,
            Metric("bounce", bounces, wBounces, h => h.Bounces, _thresholds.BounceReview, _thresholds.BouncePause, _thresholds.BounceMinVolume),
            Metric("complaint", complaints, wComplaints, h => h.Complaints, _thresholds.ComplaintReview, _thresholds.ComplaintPause,
                _thresholds.ComplaintMinVolume));

        MetricForecast Metric(string name, long events, double weightedEvents, Func<(long, long Sent, long Bounces, long Complaints), long> count,
            double review, double pause, long minVolume)
        {
            var trend = weightedEvents / wSent;
            var (low, high) = Wilson(trend, wSent);
            return new MetricForecast(name, sent == 0 ? 0 : (double)events / sent, trend, low, high,
                Crossing(review), Crossing(pause));

            Crossing? Crossing(double threshold)
            {
                if (When(trend) is not { } expected) return null;
                var confident = When(low);
                return new Crossing(threshold, DateTimeOffset.FromUnixTimeMilliseconds(now + expected), expected / (double)_hourMs,
                    confident is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(now + c) : null, confident / (double)_hourMs);

                // The first t (ms from now, within the lookahead) at which the window holds minVolume recipients and its rate
                // reaches the threshold, when mail keeps coming at perMs with this rate.
                long? When(double rate)
                {
                    double s = sent, x = events;
                    var from = 0L;
                    var next = 0;
                    while (from <= _lookaheadMs)
                    {
                        // Hours whose end has slid out of the window by now are gone.
                        while (next < hours.Count && hours[next].LeavesAtMs - now <= from)
                        {
                            s -= hours[next].Sent;
                            x -= count(hours[next]);
                            next++;
                        }
                        var until = next < hours.Count ? Math.Min(hours[next].LeavesAtMs - now, _lookaheadMs + 1) : _lookaheadMs + 1;
                        // Over [from, until) the window holds what is left of the hours plus everything sent from now to t
                        // (none of which leaves within the lookahead).
                        double S(double t) => s + perMs * t;
                        double X(double t) => x + rate * perMs * t;
                        var t0 = (double)from;
                        if (S(t0) < minVolume) t0 = perMs > 0 ? (minVolume - s) / perMs : double.PositiveInfinity;
                        if (t0 < until)
                        {
                            t0 = Math.Max(t0, from);
                            if (X(t0) >= threshold * S(t0)) return (long)Math.Ceiling(t0);
                            var slope = perMs * (rate - threshold);
                            if (slope > 0)
                            {
                                var t = (threshold * s - x) / slope;
                                if (t < until) return (long)Math.Ceiling(Math.Max(t, t0));
                            }
                        }
                        from = until;
                    }
                    return null;
                }
            }
        }
    }

    /// <summary>The Wilson score interval of a rate observed over <paramref name="n"/> (weighted) recipients.</summary>
    private (double Low, double High) Wilson(double p, double n)
    {
        var z2 = _z * _z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var margin = _z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return (Math.Max(0, centre - margin), Math.Min(1, centre + margin));
    }
}
