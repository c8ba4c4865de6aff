using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>The windowed counters of one entity (an account, or one of its configuration sets, domains, IPs, ...).</summary>
public sealed class EntityWindows
{
    /// <summary>Highest event time applied: the end of the entity's windows.</summary>
    public long StreamTimeMs { get; set; }

    /// <summary>Earliest event time ever applied: how long this entity (a caller, a domain, ...) has been around.</summary>
    public long FirstSeenMs { get; set; }

    /// <summary>Grows with every change; lets downstream stores ignore stale snapshots.</summary>
    public long Version { get; set; }

    public List<CounterBucket> Minutes { get; set; } = [];
    public List<CounterBucket> Hours { get; set; } = [];
    public long LateEvents { get; set; }

    /// <summary>Older than the long window, day by day (sent, hard bounces, complaints): what a representative-volume rate reaches
    /// back into. Kept only for entities with a status, and only while a scope is measured that way.</summary>
    public List<DayTotals>? Days { get; set; }

    /// <summary>Status and review of the entity, for the scopes that have one (configuration sets, tenants).</summary>
    public EntityState? State { get; set; }

    /// <summary>Findings raised for this entity: "rule:provider" → start of the slice it was raised in.</summary>
    public Dictionary<string, long> Findings { get; set; } = [];

    /// <summary>The long window's totals over all providers, kept by <see cref="WindowedCounters"/> as the hours change so the
    /// per-record rate check reads three numbers; null until first read and after an hour leaves the window. Not stored:
    /// rebuilt from the hours.</summary>
    internal long[]? LongTotals;

    /// <summary>Hours leaving the long window are rolled up into <see cref="Days"/> (the entities with a status; set by whoever
    /// loads the windows, not stored).</summary>
    internal bool KeepsHistory;

    public void KeepHistory() => KeepsHistory = true;
}

/// <summary>One day of an entity's history beyond the long window: the counts its rates are made of.</summary>
public sealed class DayTotals
{
    public long StartMs { get; set; }
    public long Sent { get; set; }
    public long HardBounces { get; set; }
    public long Complaints { get; set; }
}

public sealed class CounterBucket
{
    public long StartMs { get; set; }

    /// <summary>[provider * Counters.Count + counter]; stored sparse.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(SparseCountsConverter))]
    public long[] Counts { get; set; } = new long[Providers.Count * Counters.Count];

    /// <summary>Responses seen, by "provider|ruleId" (bounces, delays): what the counts mean.</summary>
    public Dictionary<string, long>? Responses { get; set; }
}
