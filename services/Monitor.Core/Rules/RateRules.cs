using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The SES rate rules on the evaluation window: review at bounce >= 5 % / complaint >= 0.1 %, pause at
/// 10 % / 0.5 %, silent below the minimum volumes. Pure: says which status the rates call for and why.
/// </summary>
public sealed class RateRules(RateThresholds thresholds)
{
    public const string BouncePause = "bounce-rate-pause", ComplaintPause = "complaint-rate-pause",
        BounceReview = "bounce-rate-review", ComplaintReview = "complaint-rate-review";

    public RateThresholds Thresholds => thresholds;

    /// <summary>The strongest rule the window breaks, or null when the rates are acceptable.</summary>
    public RateAssessment? Assess(WindowSnapshot w) => Assess(w.RateTotals);

    public RateAssessment? Assess(RateTotals w)
    {
        var sent = w.Sent;
        var bounceVolume = sent >= thresholds.BounceMinVolume;
        var complaintVolume = sent >= thresholds.ComplaintMinVolume;
        var bounceRate = sent == 0 ? 0 : (double)w.HardBounces / sent;
        var complaintRate = sent == 0 ? 0 : (double)w.Complaints / sent;
        if (bounceVolume && bounceRate >= thresholds.BouncePause)
            return new(EntityStatus.Paused, BouncePause, "bounce", thresholds.BouncePause, thresholds.BounceMinVolume, bounceRate);
        if (complaintVolume && complaintRate >= thresholds.ComplaintPause)
            return new(EntityStatus.Paused, ComplaintPause, "complaint", thresholds.ComplaintPause, thresholds.ComplaintMinVolume, complaintRate);
        if (bounceVolume && bounceRate >= thresholds.BounceReview)
            return new(EntityStatus.UnderReview, BounceReview, "bounce", thresholds.BounceReview, thresholds.BounceMinVolume, bounceRate);
        if (complaintVolume && complaintRate >= thresholds.ComplaintReview)
            return new(EntityStatus.UnderReview, ComplaintReview, "complaint", thresholds.ComplaintReview, thresholds.ComplaintMinVolume, complaintRate);
        return null;
    }
}

public sealed record RateAssessment(string To, string Rule, string Metric, double Threshold, long MinVolume, double Observed);
