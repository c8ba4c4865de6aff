using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The response pillar's state machine, for accounts, configuration sets and tenants:
/// <code>
/// healthy ──rates ≥ review──> under_review ──rates ≥ pause, or deadline with rates still high──> paused
///    ^                            │ deadline with rates back under review: healed                 │
///    └────────────────────────────┴──────────── operator resolve / resume ───────────────────────┘
/// </code>
/// Rates only escalate; leaving a review is for its deadline or an operator; only an operator resumes.
/// Every transition is a <see cref="Decision"/> with its evidence, numbered so its id is deterministic.
/// </summary>
public sealed class StatusMachine(RateRules rules, TimeSpan reviewPeriod)
{
    public const string ReviewHealed = "review-healed", ReviewEscalated = "review-deadline-escalation",
        ReviewExtended = "review-extended", OperatorPause = "operator-pause", OperatorResume = "operator-resume",
        OperatorResolve = "operator-resolve";

    private const int RememberedCommands = 50;

    public RateRules Rules => rules;

    /// <summary>Would <see cref="OnRates"/> change the status? The per-record check, on the window's totals alone.</summary>
    public bool Escalates(EntityState s, RateTotals totals) =>
        rules.Assess(totals) is { } hit && EntityStatus.Severity(hit.To) > EntityStatus.Severity(s.Status);

    /// <summary>After the entity's counters moved: escalate if the rates call for it.</summary>
    public Decision? OnRates(string scope, string entity, EntityState s, WindowSnapshot w, IReadOnlyList<EvidenceSample> samples, long nowMs)
    {
        var hit = rules.Assess(w);
        if (hit is null || EntityStatus.Severity(hit.To) <= EntityStatus.Severity(s.Status)) return null;
        return Transition(scope, entity, s, hit.To, hit.Rule, "monitoring", w, samples, nowMs, Threshold(hit),
            w.Representative is { } volume
                ? $"{hit.Metric} rate {hit.Observed:P2} >= {hit.Threshold:P2} over the last {w.Totals.Sent} recipients (representative volume {volume}), " +
                  $"sent over {w.Window.TotalDays:0.#} days"
                : $"{hit.Metric} rate {hit.Observed:P2} >= {hit.Threshold:P2} over {w.Totals.Sent} recipients in {w.Window.TotalHours:0.#} h",
            actor: "rule", commandId: null);
    }

    /// <summary>An operator-defined rule whose action is review or pause (it only escalates, like the rate rules).</summary>
    public Decision? OnRule(string scope, string entity, EntityState s, WindowSnapshot w, IReadOnlyList<EvidenceSample> samples,
        RuleDefinition rule, long nowMs)
    {
        var to = rule.Action == "pause" ? EntityStatus.Paused : EntityStatus.UnderReview;
        if (EntityStatus.Severity(to) <= EntityStatus.Severity(s.Status)) return null;
        var (value, volume) = rule.Measure(w);
        return Transition(scope, entity, s, to, rule.Id, rule.Pillar, w, samples, nowMs,
            new EvidenceThreshold(rule.Metric, rule.Threshold, rule.MinVolume, value), rule.Describe(w), actor: "rule", commandId: null);
    }

    /// <summary>A signal strong enough to pause at once (compromised credentials).</summary>
    public Decision? OnCompromise(string scope, string entity, EntityState s, WindowSnapshot w, IReadOnlyList<EvidenceSample> samples,
        CompromiseSignal signal, long nowMs)
    {
        if (s.Status == EntityStatus.Paused) return null;
        var d = Transition(scope, entity, s, EntityStatus.Paused, CompromiseRule.Rule, "analysis", w, samples, nowMs,
            new EvidenceThreshold("volume-spike", 0, 0, signal.Factor), signal.Reason, actor: "rule", commandId: null);
        d.Evidence.Rates["newCallerShare"] = signal.NewCallerShare;
        d.Evidence.Counts["baselinePerHour"] = (long)Math.Round(signal.Baseline);
        d.Evidence.NewCallers = signal.NewCallers.ToList();
        return d;
    }

    /// <summary>On the clock: a review whose deadline has passed heals or escalates.</summary>
    public Decision? OnTick(string scope, string entity, EntityState s, WindowSnapshot w, IReadOnlyList<EvidenceSample> samples, long nowMs)
    {
        if (s.Status != EntityStatus.UnderReview || s.Review is not { } review || nowMs < review.DeadlineMs) return null;
        var hit = rules.Assess(w);
        return hit is null
            ? Transition(scope, entity, s, EntityStatus.Healthy, ReviewHealed, "response", w, samples, nowMs,
                new EvidenceThreshold("review-deadline", 0, 0, 0),
                $"rates are back under the review thresholds at the review deadline (bounce {w.BounceRate:P2}, complaint {w.ComplaintRate:P3})",
                actor: "rule", commandId: null)
            : Transition(scope, entity, s, EntityStatus.Paused, ReviewEscalated, "response", w, samples, nowMs, Threshold(hit),
                $"review deadline passed with {hit.Metric} rate still {hit.Observed:P2} (>= {hit.Threshold:P2})",
                actor: "rule", commandId: null);
    }

    /// <summary>An operator's command. Applied once per command id; a command that does not fit the state changes nothing.</summary>
    public Decision? OnCommand(string scope, string entity, EntityState s, WindowSnapshot w, IReadOnlyList<EvidenceSample> samples,
        OperatorCommand c, long nowMs)
    {
        if (s.AppliedCommands.Contains(c.CommandId)) return null;
        s.AppliedCommands.Add(c.CommandId);
        if (s.AppliedCommands.Count > RememberedCommands) s.AppliedCommands.RemoveAt(0);

        var threshold = new EvidenceThreshold("operator", 0, 0, 0);
        var reviewMatches = s.Review is { } r && (c.ReviewId is null || c.ReviewId == r.Id);
        switch (c.Type)
        {
            case OperatorCommand.Pause when s.Status != EntityStatus.Paused:
                return Transition(scope, entity, s, EntityStatus.Paused, OperatorPause, "response", w, samples, nowMs, threshold, c.Reason, c.Actor, c.CommandId);
            case OperatorCommand.Resume when s.Status == EntityStatus.Paused:
            {
                // A fresh start: rates are judged on what is sent from now on, not on the traffic that paused it.
                s.EvaluateFromMs = w.EndMs + 1;
                return Transition(scope, entity, s, EntityStatus.Healthy, OperatorResume, "response", w, samples, nowMs, threshold, c.Reason, c.Actor, c.CommandId);
            }
            case OperatorCommand.Resolve when s.Status == EntityStatus.UnderReview && reviewMatches:
            {
                var to = c.Outcome == EntityStatus.Paused ? EntityStatus.Paused : EntityStatus.Healthy;
                if (to == EntityStatus.Healthy) s.EvaluateFromMs = w.EndMs + 1;
                return Transition(scope, entity, s, to, OperatorResolve, "response", w, samples, nowMs, threshold, c.Reason, c.Actor, c.CommandId);
            }
            // Bounded as at the door: a deadline past the representable instants would fail every later read of the review.
            case OperatorCommand.Extend when s.Status == EntityStatus.UnderReview && reviewMatches && c.ExtendBy is { } by && by > TimeSpan.Zero
                                             && by <= CommandRules.MaxExtendBy:
            {
                s.Review!.DeadlineMs += (long)by.TotalMilliseconds;
                return Transition(scope, entity, s, EntityStatus.UnderReview, ReviewExtended, "response", w, samples, nowMs, threshold, c.Reason, c.Actor, c.CommandId);
            }
            default:
                return null;
        }
    }

    private Decision Transition(string scope, string entity, EntityState s, string to, string rule, string pillar, WindowSnapshot w,
        IReadOnlyList<EvidenceSample> samples, long nowMs, EvidenceThreshold threshold, string reason, string actor, string? commandId)
    {
        var from = s.Status;
        var sequence = s.Sequence + 1;
        var id = DecisionIds.For(scope, entity, sequence, to, rule);
        ReviewRef? review = null;
        if (to == EntityStatus.UnderReview && from != EntityStatus.UnderReview)
        {
            s.Review = new OpenReview { Id = id, Rule = rule, OpenedAtMs = nowMs, DeadlineMs = nowMs + (long)reviewPeriod.TotalMilliseconds };
            review = Ref(s.Review, "open");
        }
        else if (s.Review is { } open)
        {
            var outcome = rule switch
            {
                ReviewExtended => "open",
                ReviewHealed => "healed",
                OperatorResolve or OperatorResume => "resolved",
                _ => "escalated",
            };
            review = Ref(open, outcome);
            if (outcome != "open") s.Review = null;
        }

        s.Status = to;
        s.Sequence = sequence;
        s.SinceMs = nowMs;
        s.Rule = rule;
        return new Decision
        {
            Scope = scope,
            Entity = entity,
            From = from,
            To = to,
            Rule = rule,
            Pillar = pillar,
            At = DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
            Sequence = sequence,
            DecisionId = id,
            Reason = reason,
            Actor = actor,
            CommandId = commandId,
            Review = review,
            Evidence = new DecisionEvidence
            {
                Window = EvidenceWindow.Of(w),
                Counts = w.Totals.ToDictionary(),
                Rates = new() { ["bounce"] = w.BounceRate, ["complaint"] = w.ComplaintRate },
                Threshold = threshold,
                Samples = samples.Select(x => new EvidenceSampleView(x.MessageId, x.Recipient, x.Counter, x.Diagnostic, x.Class,
                    DateTimeOffset.FromUnixTimeMilliseconds(x.AtMs))).ToList(),
            },
        };
    }

    private static EvidenceThreshold Threshold(RateAssessment hit) => new(hit.Metric, hit.Threshold, hit.MinVolume, hit.Observed);

    private static ReviewRef Ref(OpenReview r, string outcome) => new(r.Id,
        DateTimeOffset.FromUnixTimeMilliseconds(r.OpenedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(r.DeadlineMs), outcome);
}
