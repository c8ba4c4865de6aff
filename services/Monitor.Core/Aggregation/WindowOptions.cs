namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Two-tier event-time windows. Counts land in 1-minute buckets (kept for the short window) and in
/// rolled-up hourly buckets (kept for the long window), so a window slides by one bucket and an entity's
/// state is bounded: at most ShortWindow/BucketSize + Window/RollupSize buckets, only non-empty ones stored.
/// Allowed lateness: an event counts while its bucket is still inside the window it belongs to, measured
/// from the newest event seen for the entity (its stream time); anything older is late, counted in
/// <c>lateEvents</c>, and changes no closed window.
/// </summary>
public sealed class WindowOptions
{
    /// <summary>The evaluation window of the rate rules ("24h").</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The short window ("1h"), for fast signals such as provider throttling.</summary>
    public TimeSpan ShortWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Granularity of the short window.</summary>
    public TimeSpan BucketSize { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Granularity of the long window: minute counts rolled up.</summary>
    public TimeSpan RollupSize { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Samples kept per account as evidence.</summary>
    public int MaxSamples { get; set; } = 10;

    /// <summary>Upper bound on dimension entities (configuration sets, domains, IPs, ...) tracked per account.</summary>
    public int MaxDimensionsPerAccount { get; set; } = 1000;
}

public enum WindowKind { Short, Long }
