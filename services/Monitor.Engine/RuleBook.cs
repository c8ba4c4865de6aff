using ReputationMonitor.Core.Forecasting;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

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

/// <summary>One consistent set of rule settings (the <c>Reputation</c> section as validated), and its version.</summary>
public sealed record RuleSet(ReputationOptions Options, int Version = 0)
{
    public static RuleSet Defaults { get; } = From(new ReputationOptions());

    public static RuleSet From(ReputationOptions options) => new(options);

    public RateThresholds Thresholds => Options.Thresholds;
    public TimeSpan ReviewPeriod => Options.ReviewPeriod;
    public FindingThresholds Findings => Options.Findings;
    public CompromiseOptions Compromise => Options.Compromise;
    public PreventionOptions Prevention => Options.Prevention;
    public MonitoringOptions Monitoring => Options.Monitoring;
    public ForecastOptions Forecast => Options.Forecast;
    public WarmupOptions Warmup => Options.Warmup;
    public BulkSenderOptions BulkSenders => Options.BulkSenders;
    public IReadOnlyList<RuleDefinition> Custom => Options.Rules;
}
