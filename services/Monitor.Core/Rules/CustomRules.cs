using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Rules;

/// <summary>The operator-defined rules (<c>Reputation:Rules</c>), evaluated on each entity of their scope.</summary>
public sealed class CustomRules(IReadOnlyList<RuleDefinition> rules) : IReputationRule
{
    public string Name => "custom";

    public bool AppliesTo(string kind) => rules.Count > 0;

    /// <summary>Findings are published; the first review or pause rule that fires (a pause before a review) is a request to
    /// the entity's status machine, for entities that have one.</summary>
    public RuleResult Evaluate(EntityView entity)
    {
        var (findings, fired) = Evaluate(rules, entity.Scope, entity.Entity, entity.State?.Status ?? EntityStatus.Healthy, entity.Window,
            entity.Windows.Findings);
        return new RuleResult(findings, fired is { } f && entity.State is not null ? new RuleFired(f.Rule, f.Window) : null);
    }

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
