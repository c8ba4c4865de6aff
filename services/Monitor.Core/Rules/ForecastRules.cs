using ReputationMonitor.Core.Forecasting;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The monitoring pillar looking ahead: a finding when an entity's evaluation-window rate is expected to reach the review
/// (<c>forecast-review</c>) or pause (<c>forecast-pause</c>) threshold within the horizon even at the low end of its trend's
/// interval — before SES would notice. Findings only: a forecast never changes a status.
/// </summary>
public sealed class ForecastRules(ForecastOptions options) : IReputationRule
{
    public const string Review = "forecast-review", Pause = "forecast-pause";

    /// <summary>The entities forecast: those with a status, and the sending domains and IPs mailbox providers judge.</summary>
    public static readonly IReadOnlyList<string> Kinds =
        [Aggregation.Dimensions.Account, Aggregation.Dimensions.ConfigurationSet, Aggregation.Dimensions.Tenant, Aggregation.Dimensions.Domain,
         Aggregation.Dimensions.Ip];

    public string Name => "forecast";

    public bool AppliesTo(string kind) => Kinds.Contains(kind);

    public RuleResult Evaluate(EntityView entity)
    {
        if (entity.Forecast is not { } forecast || entity.Status == EntityStatus.Paused) return RuleResult.None;
        var findings = new List<Decision>();
        var horizonHours = options.Horizon.TotalHours;
        foreach (var metric in forecast.Metrics)
        {
            if (entity.Status == EntityStatus.Healthy) Raise(metric, metric.Review, Review);
            Raise(metric, metric.Pause, Pause);
        }
        return RuleResult.Of(findings);

        void Raise(MetricForecast metric, Crossing? crossing, string rule)
        {
            // Already over the line is the rate rules' business, not a forecast.
            if (crossing is not { ConfidentInHours: { } within } || within > horizonHours || crossing.ExpectedInHours <= 0) return;
            var key = $"{rule}:{metric.Metric}";
            var slice = entity.LastHour;
            if (!Findings.TryRaise(entity.Windows.Findings, key, Findings.SliceStart(slice))) return;
            var window = entity.Evaluated;
            findings.Add(Findings.Create(entity.Scope, entity.Entity, entity.Status, key, "monitoring", null, slice, window.Totals.ToDictionary(),
                new()
                {
                    [metric.Metric] = metric.Rate, ["trend"] = metric.Trend, ["low"] = metric.Low, ["high"] = metric.High,
                    ["perHour"] = forecast.Basis.PerHour, ["expectedInHours"] = crossing.ExpectedInHours, ["confidentInHours"] = within,
                },
                new EvidenceThreshold(key, crossing.Threshold, 0, metric.Trend),
                $"{metric.Metric} rate {metric.Rate:P2} over the evaluation window is heading for {crossing.Threshold:P2} in about " +
                $"{crossing.ExpectedInHours:0.#} h (by {within:0.#} h at {forecast.Basis.Confidence:P0} confidence): the last " +
                $"{forecast.Basis.TrendHours} h ran at {metric.Trend:P2} ({metric.Low:P2}–{metric.High:P2}) on {forecast.Basis.Recipients} " +
                $"recipients, {forecast.Basis.PerHour:0} an hour"));
        }
    }
}
