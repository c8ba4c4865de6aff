using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine;

/// <summary>
/// Every rule the engine evaluates at its statistics tick, in order, each built from its options section of
/// <c>Reputation</c> (<see cref="ReputationOptions"/>). Adding a rule is a class implementing <see cref="IReputationRule"/>,
/// its options, and one line here (docs/rules.md, "Adding a rule").
/// </summary>
public static class RuleRegistry
{
    public static IReadOnlyList<IReputationRule> Build(RuleSet rules, SmtpResponseClassifier classifier) =>
    [
        // First: when it pauses an account, the findings after it report the account as paused.
        new CompromiseRule(rules.Compromise, rules.Thresholds),   // Reputation:Compromise
        new ProviderFeedbackRules(rules.Findings, classifier),    // Reputation:Findings
        new PreventionRules(rules.Prevention),                    // Reputation:Prevention
        new CustomRules(rules.Custom),                            // Reputation:Rules
        new MonitoringRules(rules.Monitoring),                    // Reputation:Monitoring
        new ForecastRules(rules.Forecast),                        // Reputation:Forecast
        new BulkSenderRules(rules.BulkSenders),                   // Reputation:BulkSenders
        new WarmupRules(rules.Warmup),                            // Reputation:Warmup
    ];
}
