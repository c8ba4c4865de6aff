using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Primitives;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Streaming;

/// <summary>
/// The rules in force, reloadable: when the <c>Reputation</c> section changes (appsettings.json is watched),
/// the new rules are validated and take effect at the next record, with all state kept (rules are stateless;
/// counters, statuses and reviews live in the stores). An invalid edit is refused, named in the log, and
/// the previous rules stay in force.
/// </summary>
public sealed class RuleBook
{
    private volatile RuleSet _current;

    public RuleBook(RuleSet initial) => _current = initial;

    public RuleSet Current => _current;

    public void Replace(RuleSet next) => _current = next with { Version = _current.Version + 1 };

    /// <summary>
    /// Follows changes of the configuration's <c>Reputation</c> section. Deliberately not through
    /// IOptionsMonitor: its change callback re-validates and throws on an invalid edit, on the configuration
    /// watcher's thread; here an invalid edit is logged and ignored.
    /// </summary>
    public IDisposable Follow(IConfiguration configuration, ILogger logger) =>
        ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            var options = new ReputationOptions();
            configuration.GetSection(ReputationOptions.Section).Bind(options);
            var errors = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            {
                logger.LogError("Reputation rules not reloaded, the previous ones stay in force: {Errors}",
                    string.Join("; ", errors.Select(e => e.ErrorMessage)));
                return;
            }
            Replace(RuleSet.From(options));
            logger.LogInformation("Reputation rules reloaded (version {Version})", _current.Version);
        });
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
