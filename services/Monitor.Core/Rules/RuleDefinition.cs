using System.ComponentModel.DataAnnotations;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// An operator-defined rule (configuration <c>Reputation:Rules</c>): when <see cref="Metric"/> over
/// <see cref="Window"/> for an entity of <see cref="Scope"/> (optionally only its mail to one
/// <see cref="Provider"/>) crosses <see cref="Threshold"/> with at least <see cref="MinVolume"/> recipients,
/// take <see cref="Action"/>: raise a finding, or put the entity under review, or pause it.
/// </summary>
public sealed class RuleDefinition : IValidatableObject
{
    public static readonly IReadOnlyList<string> Metrics =
        ["bounceRate", "complaintRate", "throttleRate", "softBounceRate", "delayRate", "rejectRate", "suppressedRate", "deliveryRate", "volume"];
    public static readonly IReadOnlyList<string> Scopes = ["account", "configuration-set", "tenant", "domain", "ip", "pool", "caller"];
    public static readonly IReadOnlyList<string> StatusScopes = ["account", "configuration-set", "tenant"];
    public static readonly IReadOnlyList<string> Actions = ["finding", "review", "pause"];

    [Required, RegularExpression("^[a-z0-9-]+$")] public string Id { get; set; } = "";
    public string Pillar { get; set; } = "monitoring";
    public string Scope { get; set; } = "account";
    public string? Provider { get; set; }
    public string Metric { get; set; } = "bounceRate";
    public string Window { get; set; } = "24h";
    public double Threshold { get; set; }

    /// <summary><c>above</c> (default): fires at or above the threshold; <c>below</c>: at or below (e.g. deliveryRate).</summary>
    public string Direction { get; set; } = "above";
    public long MinVolume { get; set; }
    public string Action { get; set; } = "finding";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        string Key(string field) => $"Reputation:Rules:{Id}:{field}";
        if (!Metrics.Contains(Metric)) yield return new($"{Key("Metric")} must be one of {string.Join(", ", Metrics)}", [Key("Metric")]);
        if (!Scopes.Contains(Scope)) yield return new($"{Key("Scope")} must be one of {string.Join(", ", Scopes)}", [Key("Scope")]);
        if (!Actions.Contains(Action)) yield return new($"{Key("Action")} must be one of {string.Join(", ", Actions)}", [Key("Action")]);
        if (Action != "finding" && !StatusScopes.Contains(Scope))
            yield return new($"{Key("Action")}: only {string.Join(", ", StatusScopes)} have a status to review or pause", [Key("Action")]);
        if (Window is not ("1h" or "24h")) yield return new($"{Key("Window")} must be 1h or 24h", [Key("Window")]);
        if (Direction is not ("above" or "below")) yield return new($"{Key("Direction")} must be above or below", [Key("Direction")]);
        if (Provider is not null && !Providers.All.Contains(Provider))
            yield return new($"{Key("Provider")} must be one of {string.Join(", ", Providers.All)}", [Key("Provider")]);
        if (Metric != "volume" && Threshold is < 0 or > 1) yield return new($"{Key("Threshold")} must be a fraction in [0, 1]", [Key("Threshold")]);
        if (MinVolume < 0) yield return new($"{Key("MinVolume")} must be >= 0", [Key("MinVolume")]);
    }

    /// <summary>The metric's value on a window (or its provider slice), with the volume it is judged on.</summary>
    public (double Value, long Volume) Measure(WindowSnapshot w)
    {
        var c = Provider is null ? w.Totals : w.ByProvider[Providers.Parse(Provider)];
        var value = Metric switch
        {
            "bounceRate" => c.Rate(Counters.HardBounces),
            "complaintRate" => c.Rate(Counters.Complaints),
            "throttleRate" => c.Rate(Counters.Throttled),
            "softBounceRate" => c.Rate(Counters.SoftBounces),
            "delayRate" => c.Rate(Counters.Delayed),
            "rejectRate" => c.Rate(Counters.Rejected),
            "suppressedRate" => c.Rate(Counters.Suppressed),
            "deliveryRate" => c.Rate(Counters.Delivered),
            _ => c.Sent,
        };
        return (value, c.Sent);
    }

    public bool Fires(WindowSnapshot w)
    {
        var (value, volume) = Measure(w);
        if (volume < MinVolume) return false;
        return Direction == "below" ? value <= Threshold : value >= Threshold;
    }

    public string Describe(WindowSnapshot w)
    {
        var (value, volume) = Measure(w);
        var shown = Metric == "volume" ? $"{value:0}" : $"{value:P2}";
        var limit = Metric == "volume" ? $"{Threshold:0}" : $"{Threshold:P2}";
        return $"rule {Id}: {Metric}{(Provider is null ? "" : $" at {Provider}")} {shown} {(Direction == "below" ? "<=" : ">=")} {limit} over {volume} recipients in {Window}";
    }
}
