using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Engine;

/// <summary>
/// The rules in force, reloadable: a new set takes effect at the next record, with all state kept (rules are stateless;
/// counters, statuses and reviews live in the stores). The host follows the configuration and calls <see cref="Replace"/>
/// with a validated set (an invalid edit never gets here, so the previous rules stay in force).
/// </summary>
public sealed class RuleBook
{
    private volatile RuleSet _current;

    public RuleBook(RuleSet initial) => _current = initial;

    public RuleSet Current => _current;

    public void Replace(RuleSet next) => _current = next with { Version = _current.Version + 1 };
}

/// <summary>One consistent set of rule settings.</summary>
public sealed record RuleSet(
    RateThresholds Thresholds, TimeSpan ReviewPeriod, FindingThresholds Findings, CompromiseOptions Compromise,
    PreventionOptions Prevention, MonitoringOptions Monitoring, BulkSenderOptions BulkSenders, IReadOnlyList<RuleDefinition> Custom,
    int Version = 0)
{
    public static RuleSet Defaults { get; } = From(new ReputationOptions());

    public static RuleSet From(ReputationOptions o) =>
        new(o.Thresholds, o.ReviewPeriod, o.Findings, o.Compromise, o.Prevention, o.Monitoring, o.BulkSenders, o.Rules.ToList());
}
