using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The SES rate rules on the evaluation window: review at bounce >= 5 % / complaint >= 0.1 %, pause at
/// 10 % / 0.5 %, silent below the minimum volumes. Statuses only escalate here: leaving review is for the
/// review deadline, and resuming a paused account is for an operator.
/// </summary>
public sealed class RateRules(RateThresholds thresholds)
{
    public const string Scope = "account";
    public const string BouncePause = "bounce-rate-pause", ComplaintPause = "complaint-rate-pause",
        BounceReview = "bounce-rate-review", ComplaintReview = "complaint-rate-review";

    public RateThresholds Thresholds => thresholds;

    public Decision? Evaluate(AccountAggregate account, WindowSnapshot window)
    {
        var hit = Strongest(window);
        if (hit is null) return null;
        var (to, rule, metric, threshold, minVolume, observed) = hit.Value;
        if (EntityStatus.Severity(to) <= EntityStatus.Severity(account.Status)) return null;

        var from = account.Status;
        var sequence = account.StatusSequence + 1;
        var decision = new Decision
        {
            Scope = Scope,
            Entity = account.AccountId,
            From = from,
            To = to,
            Rule = rule,
            Pillar = "monitoring",
            At = DateTimeOffset.FromUnixTimeMilliseconds(window.EndMs),
            Sequence = sequence,
            DecisionId = DecisionIds.For(Scope, account.AccountId, sequence, to, rule),
            Reason = $"{metric} {observed:P2} >= {threshold:P2} over {window.Totals.Sent} recipients in {window.Window.TotalHours:0.#} h",
            Evidence = new DecisionEvidence
            {
                Window = new EvidenceWindow(DateTimeOffset.FromUnixTimeMilliseconds(window.StartMs),
                    DateTimeOffset.FromUnixTimeMilliseconds(window.EndMs), (long)window.Window.TotalSeconds),
                Counts = window.Totals.ToDictionary(),
                Rates = new() { ["bounce"] = window.BounceRate, ["complaint"] = window.ComplaintRate },
                Threshold = new EvidenceThreshold(metric, threshold, minVolume, observed),
                Samples = account.Samples.Select(s => new EvidenceSampleView(s.MessageId, s.Recipient, s.Counter,
                    s.Diagnostic, s.Class, DateTimeOffset.FromUnixTimeMilliseconds(s.AtMs))).ToList(),
            },
        };
        account.Status = to;
        account.StatusSequence = sequence;
        account.StatusSinceMs = window.EndMs;
        account.StatusRule = rule;
        return decision;
    }

    private (string To, string Rule, string Metric, double Threshold, long MinVolume, double Observed)? Strongest(WindowSnapshot w)
    {
        var sent = w.Totals.Sent;
        var bounceVolume = sent >= thresholds.BounceMinVolume;
        var complaintVolume = sent >= thresholds.ComplaintMinVolume;
        if (bounceVolume && w.BounceRate >= thresholds.BouncePause)
            return (EntityStatus.Paused, BouncePause, "bounce", thresholds.BouncePause, thresholds.BounceMinVolume, w.BounceRate);
        if (complaintVolume && w.ComplaintRate >= thresholds.ComplaintPause)
            return (EntityStatus.Paused, ComplaintPause, "complaint", thresholds.ComplaintPause, thresholds.ComplaintMinVolume, w.ComplaintRate);
        if (bounceVolume && w.BounceRate >= thresholds.BounceReview)
            return (EntityStatus.UnderReview, BounceReview, "bounce", thresholds.BounceReview, thresholds.BounceMinVolume, w.BounceRate);
        if (complaintVolume && w.ComplaintRate >= thresholds.ComplaintReview)
            return (EntityStatus.UnderReview, ComplaintReview, "complaint", thresholds.ComplaintReview, thresholds.ComplaintMinVolume, w.ComplaintRate);
        return null;
    }
}
