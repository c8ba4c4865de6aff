using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Rules;

/// <summary>Evaluates the operator-defined rules of one scope on one entity.</summary>
public static class CustomRules
{
    /// <returns>Findings to publish, and the first review/pause rule that fires (the caller applies it through the status machine).</returns>
    public static (List<Decision> Findings, (RuleDefinition Rule, WindowSnapshot Window)? Transition) Evaluate(
        IReadOnlyList<RuleDefinition> rules, string scope, string entity, string status,
        Func<string, WindowSnapshot> window, Dictionary<string, long> raised)
    {
        var findings = new List<Decision>();
        (RuleDefinition, WindowSnapshot)? transition = null;
        foreach (var rule in rules)
        {
            if (rule.Scope != scope) continue;
            var w = window(rule.Window);
            if (!rule.Fires(w)) continue;
            if (rule.Action != "finding")
            {
                if (transition is null || rule.Action == "pause") transition = (rule, w);
                continue;
            }
            var key = $"rule:{rule.Id}";
            if (!Findings.TryRaise(raised, key, Findings.SliceStart(w))) continue;
            var (value, volume) = rule.Measure(w);
            findings.Add(Findings.Create(scope, entity, status, key, rule.Pillar, rule.Provider, w, w.Totals.ToDictionary(),
                new() { [rule.Metric] = value }, new EvidenceThreshold(rule.Metric, rule.Threshold, rule.MinVolume, value), rule.Describe(w)));
        }
        return (findings, transition);
    }
}
