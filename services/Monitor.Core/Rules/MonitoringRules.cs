using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The monitoring pillar's early warnings (findings, never transitions — SES warns early and pauses late):
/// a new sender watched with lower thresholds, and an account trending away from its own baseline.
/// </summary>
public sealed class MonitoringRules(MonitoringOptions options) : IReputationRule
{
    public string Name => "monitoring";

    public bool AppliesTo(string kind) => kind == Aggregation.Dimensions.Account;

    public RuleResult Evaluate(EntityView entity)
    {
        var (prior, priorHours) = entity.Prior;
        return RuleResult.Of(Evaluate(entity.Scope, entity.Entity, entity.Status, entity.FirstSeenMs, entity.Evaluated, entity.LastHour, prior,
            priorHours, entity.Windows.Findings));
    }

    public const string NewSender = "new-sender", BaselineDeviation = "baseline-deviation";

    /// <param name="day">The long window (24 h); <paramref name="lastHour"/> the short one; <paramref name="prior"/> the hours before it.</param>
    public List<Decision> Evaluate(string scope, string entity, string status, long firstSeenMs, WindowSnapshot day, WindowSnapshot lastHour,
        CounterSet prior, double priorHours, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        var isNew = day.EndMs - firstSeenMs < (long)options.NewSenderAge.TotalMilliseconds;
        if (isNew && day.Totals.Sent >= options.NewSenderMinVolume)
        {
            Check(day, $"{NewSender}:bounce", day.BounceRate, options.NewSenderBounce, "bounce");
            Check(day, $"{NewSender}:complaint", day.ComplaintRate, options.NewSenderComplaint, "complaint");
        }

        if (priorHours >= options.MinBaselineHours && prior.Sent >= options.MinBaselineVolume && lastHour.Totals.Sent >= options.MinHourVolume)
        {
            var baseBounce = prior.Rate(Counters.HardBounces);
            var baseComplaint = prior.Rate(Counters.Complaints);
            var perHour = prior.Sent / priorHours;
            Check(lastHour, $"{BaselineDeviation}:bounce", lastHour.BounceRate,
                Math.Max(baseBounce * options.RateFactor, baseBounce + options.BounceMargin), "bounce", baseBounce);
            Check(lastHour, $"{BaselineDeviation}:complaint", lastHour.ComplaintRate,
                Math.Max(baseComplaint * options.RateFactor, baseComplaint + options.ComplaintMargin), "complaint", baseComplaint);
            Check(lastHour, $"{BaselineDeviation}:volume", lastHour.Totals.Sent, perHour * options.VolumeFactor, "volume", perHour);
        }
        return findings;

        void Check(WindowSnapshot w, string rule, double observed, double threshold, string metric, double? baseline = null)
        {
            if (observed < threshold || !Findings.TryRaise(raised, rule, Findings.SliceStart(w))) return;
            var reason = baseline is { } b
                ? $"{metric} {Show(metric, observed)} in the last hour against a baseline of {Show(metric, b)} (alert at {Show(metric, threshold)})"
                : $"new sender (first seen {DateTimeOffset.FromUnixTimeMilliseconds(firstSeenMs):u}): {metric} rate {observed:P2} >= {threshold:P2} in its first days";
            findings.Add(Findings.Create(scope, entity, status, rule, "monitoring", null, w, w.Totals.ToDictionary(),
                new() { ["bounce"] = w.BounceRate, ["complaint"] = w.ComplaintRate, ["baseline"] = baseline ?? 0 },
                new EvidenceThreshold(rule, threshold, 0, observed), reason));
        }
    }

    private static string Show(string metric, double v) => metric == "volume" ? $"{v:0.#}/h" : $"{v:P2}";
}

public sealed class MonitoringOptions
{
    /// <summary>An account is new for this long after its first message.</summary>
    public TimeSpan NewSenderAge { get; set; } = TimeSpan.FromDays(14);
    public double NewSenderBounce { get; set; } = 0.03;
    public double NewSenderComplaint { get; set; } = 0.0005;
    public long NewSenderMinVolume { get; set; } = 100;

    /// <summary>Deviation: last-hour rate at least this many times the baseline rate, and at least the margin above it.</summary>
    public double RateFactor { get; set; } = 2;
    public double BounceMargin { get; set; } = 0.02;
    public double ComplaintMargin { get; set; } = 0.0005;
    public double VolumeFactor { get; set; } = 5;
    public double MinBaselineHours { get; set; } = 6;
    public long MinBaselineVolume { get; set; } = 500;
    public long MinHourVolume { get; set; } = 100;
}
