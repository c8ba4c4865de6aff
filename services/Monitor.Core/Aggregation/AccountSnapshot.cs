using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>What an operator reads about an account: published to <c>reputation.account-stats</c>.</summary>
public sealed class AccountSnapshot
{
    public required string AccountId { get; set; }
    public required string Status { get; set; }
    public long Version { get; set; }
    public required EvidenceWindow Window { get; set; }
    public required Dictionary<string, long> Totals { get; set; }
    public required Dictionary<string, double> Rates { get; set; }
    public required List<ProviderCounts> ByProvider { get; set; }
    public required RateThresholds Thresholds { get; set; }
    public long LateEvents { get; set; }

    /// <summary>Where the evaluated rates are heading: the expected crossing of the review and pause thresholds (null: too little
    /// recent volume to read a trend).</summary>
    public Forecast? Forecast { get; set; }

    /// <summary>The event time the stream had reached on the account's partition when this was published (stale data
    /// shows as stale: it stops moving when the stream does).</summary>
    public DateTimeOffset? AsOf { get; set; }

    public static AccountSnapshot From(AccountAggregate agg, WindowSnapshot w, RateThresholds thresholds, long asOfMs) => new()
    {
        AccountId = agg.AccountId,
        Status = agg.Status,
        Version = agg.Version,
        Window = EvidenceWindow.Of(w),
        Totals = w.Totals.ToDictionary(),
        Rates = new() { ["bounce"] = w.BounceRate, ["complaint"] = w.ComplaintRate },
        ByProvider = ProviderCounts.From(w),
        Thresholds = thresholds,
        LateEvents = agg.LateEvents,
        AsOf = asOfMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(asOfMs) : null,
    };
}

public sealed record ProviderCounts(string Provider, Dictionary<string, long> Counts, Dictionary<string, double> Rates)
{
    /// <summary>The providers with any traffic in the window.</summary>
    public static List<ProviderCounts> From(WindowSnapshot w) => Enumerable.Range(0, Providers.Count)
        .Where(p => w.ByProvider[p].Values.Any(v => v != 0))
        .Select(p => new ProviderCounts(Providers.Name(p), w.ByProvider[p].ToDictionary(),
            new() { ["bounce"] = w.ByProvider[p].Rate(Counters.HardBounces), ["complaint"] = w.ByProvider[p].Rate(Counters.Complaints) }))
        .ToList();
}
