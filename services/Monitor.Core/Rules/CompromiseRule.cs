using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Compromised credentials look like this: a sudden volume spike against the account's own baseline,
/// carried mostly by callers (API identity / client IP) never seen before, with bounces or complaints
/// jumping (purchased or scraped lists). All three together pause the account at once.
/// </summary>
public sealed class CompromiseRule(CompromiseOptions options, RateThresholds thresholds) : IReputationRule
{
    public string Name => "compromise";

    public bool AppliesTo(string kind) => kind == Aggregation.Dimensions.Account;

    /// <summary>A paused account is already stopped; otherwise a spike from new callers with a feedback spike asks for a pause.</summary>
    public RuleResult Evaluate(EntityView entity) =>
        entity.Status != EntityStatus.Paused && Assess(entity.HourlyBaseline(options.MinBaselineHistory), entity.LastHour, entity.Callers) is { } signal
            ? new RuleResult([], new CompromiseSuspected(signal))
            : RuleResult.None;

    public const string Rule = "compromise-suspected";

    /// <param name="lastHour">The account's last hour (short window).</param>
    /// <param name="callers">The account's caller entities with their last-hour window and first-seen time.</param>
    public CompromiseSignal? Assess(double? baselinePerHour, WindowSnapshot lastHour, IEnumerable<(string Caller, long FirstSeenMs, long Sent)> callers)
    {
        if (baselinePerHour is not { } baseline) return null;
        var volume = lastHour.Totals.Sent;
        if (volume < options.MinSpikeVolume || volume < options.VolumeSpikeFactor * Math.Max(baseline, 1)) return null;

        var newSince = lastHour.EndMs - (long)options.NewCallerAge.TotalMilliseconds;
        var fresh = callers.Where(c => c.FirstSeenMs >= newSince && c.Sent > 0).OrderByDescending(c => c.Sent).ToList();
        var freshShare = (double)fresh.Sum(c => c.Sent) / volume;
        if (freshShare < options.MinNewCallerShare) return null;

        var feedback = lastHour.BounceRate >= thresholds.BounceReview || lastHour.ComplaintRate >= thresholds.ComplaintReview;
        if (!feedback) return null;

        return new CompromiseSignal(volume, baseline, volume / Math.Max(baseline, 1), fresh.Select(c => c.Caller).ToList(), freshShare,
            lastHour.BounceRate, lastHour.ComplaintRate);
    }
}

public sealed record CompromiseSignal(long Volume, double Baseline, double Factor, IReadOnlyList<string> NewCallers, double NewCallerShare,
    double BounceRate, double ComplaintRate)
{
    public string Reason =>
        $"volume {Volume} in the last hour is {Factor:0.#}× the hourly baseline ({Baseline:0.#}); {NewCallerShare:P0} of it from new callers " +
        $"{string.Join(", ", NewCallers)}; bounce {BounceRate:P2}, complaint {ComplaintRate:P2}";
}
