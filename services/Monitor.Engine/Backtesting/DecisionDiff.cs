using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine.Backtesting;

/// <summary>
/// Compares two runs' decisions by what an operator feels: when each entity was first put under review and first paused.
/// Each (scope, entity, status) is <c>same</c>, <c>earlier</c> / <c>later</c> under the candidate, or reached by one run only
/// (<c>only-in-force</c>: the candidate would never have done it; <c>only-candidate</c>: new with the candidate).
/// </summary>
public static class DecisionDiff
{
    public const string Same = "same", Earlier = "earlier", Later = "later", OnlyInForce = "only-in-force", OnlyCandidate = "only-candidate";
    public const string InForceRun = "in-force", CandidateRun = "candidate";

    private static readonly string[] Watched = [EntityStatus.UnderReview, EntityStatus.Paused];

    public static BacktestResult Compare(ArchiveSummary archive, IReadOnlyList<Decision> inForce, IReadOnlyList<Decision> candidate)
    {
        var a = FirstReached(inForce);
        var b = FirstReached(candidate);
        var differences = new List<DecisionDifference>();
        var same = 0;
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.Scope, StringComparer.Ordinal).ThenBy(k => k.Entity, StringComparer.Ordinal)
                     .ThenBy(k => EntityStatus.Severity(k.Status)))
        {
            var x = a.GetValueOrDefault(key);
            var y = b.GetValueOrDefault(key);
            var change = (x, y) switch
            {
                (null, _) => OnlyCandidate,
                (_, null) => OnlyInForce,
                _ when y!.At < x!.At => Earlier,
                _ when y!.At > x!.At => Later,
                _ => Same,
            };
            if (change == Same)
            {
                same++;
                continue;
            }
            differences.Add(new DecisionDifference(key.Scope, key.Entity, key.Status, change, x?.At, y?.At,
                x is not null && y is not null ? Math.Round((x.At - y.At).TotalHours, 3) : null, x?.Rule, y?.Rule));
        }
        var decisions = inForce.Select(d => View(InForceRun, d)).Concat(candidate.Select(d => View(CandidateRun, d))).ToList();
        return new BacktestResult(archive, Summary(inForce), Summary(candidate), same, differences, decisions);
    }

    private static Dictionary<(string Scope, string Entity, string Status), Decision> FirstReached(IEnumerable<Decision> decisions)
    {
        var first = new Dictionary<(string, string, string), Decision>();
        foreach (var d in decisions.Where(d => d.Kind == Decision.TransitionKind && Watched.Contains(d.To) && d.From != d.To))
            if (!first.TryGetValue((d.Scope, d.Entity, d.To), out var seen) || d.At < seen.At) first[(d.Scope, d.Entity, d.To)] = d;
        return first;
    }

    private static RunSummary Summary(IReadOnlyList<Decision> decisions)
    {
        var transitions = decisions.Where(d => d.Kind == Decision.TransitionKind).ToList();
        return new RunSummary(
            transitions.Count,
            transitions.Where(d => d.To == EntityStatus.UnderReview && d.From != d.To).Select(d => (d.Scope, d.Entity)).Distinct().Count(),
            transitions.Where(d => d.To == EntityStatus.Paused).Select(d => (d.Scope, d.Entity)).Distinct().Count(),
            decisions.Count - transitions.Count,
            decisions.GroupBy(d => d.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count()));
    }

    private static BacktestDecision View(string run, Decision d) => new(run, d.Kind, d.Scope, d.Entity, d.From, d.To, d.Rule, d.Pillar, d.At, d.Reason);
}

/// <param name="Replayed">Events replayed (inside [from, to]).</param>
/// <param name="Outside">Events outside [from, to], skipped.</param>
/// <param name="Refused">Lines no parser accepted (the reasons counted in <paramref name="RefusedByReason"/>).</param>
public sealed record ArchiveSummary(long Replayed, long Outside, long Refused, IReadOnlyDictionary<string, long> RefusedByReason,
    DateTimeOffset? First, DateTimeOffset? Last);

/// <param name="Transitions">Status changes (reviews opened, pauses, heals, ...).</param>
/// <param name="Reviewed">Entities put under review at least once.</param>
/// <param name="Paused">Entities paused at least once.</param>
/// <param name="Findings">Findings raised.</param>
/// <param name="ByRule">Decisions and findings by rule.</param>
public sealed record RunSummary(int Transitions, int Reviewed, int Paused, int Findings, IReadOnlyDictionary<string, long> ByRule);

/// <param name="Change"><c>earlier</c>, <c>later</c>, <c>only-in-force</c> or <c>only-candidate</c>.</param>
/// <param name="HoursEarlier">How much earlier the candidate reaches the status (negative: later); null when one run never does.</param>
public sealed record DecisionDifference(string Scope, string Entity, string Status, string Change, DateTimeOffset? InForceAt,
    DateTimeOffset? CandidateAt, double? HoursEarlier, string? InForceRule, string? CandidateRule);

public sealed record BacktestDecision(string Run, string Kind, string Scope, string Entity, string From, string To, string Rule, string Pillar,
    DateTimeOffset At, string? Reason);

/// <param name="Unchanged">Entity-status pairs both runs reach at the same time.</param>
public sealed record BacktestResult(ArchiveSummary Archive, RunSummary InForce, RunSummary Candidate, int Unchanged,
    IReadOnlyList<DecisionDifference> Differences, IReadOnlyList<BacktestDecision> Decisions);
