using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// One entity's short and long windows, as published to <c>reputation.entity-stats</c>: the view behind
/// breakdowns by provider, configuration set, tenant, sending domain, pool and IP.
/// </summary>
public sealed class EntitySnapshot
{
    public required string AccountId { get; set; }
    public required string Kind { get; set; }
    public required string Value { get; set; }
    public long Version { get; set; }
    public long LateEvents { get; set; }

    /// <summary>The earliest event time counted for the entity (an IP's warm-up runs from it).</summary>
    public DateTimeOffset? FirstSeen { get; set; }

    public required WindowStats Short { get; set; }
    public required WindowStats Long { get; set; }

    /// <summary>Where the evaluated rates are heading: the expected crossing of the review and pause thresholds (null: too little
    /// recent volume to read a trend).</summary>
    public Forecast? Forecast { get; set; }

    /// <summary>The event time the stream had reached on the entity's partition when this was published.</summary>
    public DateTimeOffset? AsOf { get; set; }

    /// <param name="shortWindow">The entity's short window (<see cref="WindowKind.Short"/>).</param>
    /// <param name="longWindow">The entity's whole long window (<see cref="WindowKind.Long"/>, no fresh start).</param>
    public static EntitySnapshot From(string accountId, string kind, string value, EntityWindows w, WindowSnapshot shortWindow,
        WindowSnapshot longWindow, long asOfMs) => new()
    {
        AccountId = accountId,
        Kind = kind,
        Value = value,
        Version = w.Version,
        LateEvents = w.LateEvents,
        FirstSeen = w.FirstSeenMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(w.FirstSeenMs) : null,
        Short = WindowStats.From(shortWindow),
        Long = WindowStats.From(longWindow),
        AsOf = asOfMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(asOfMs) : null,
    };
}

public sealed class WindowStats
{
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public long DurationSeconds { get; set; }
    public required Dictionary<string, long> Totals { get; set; }
    public required List<ProviderCounts> ByProvider { get; set; }

    /// <summary>Response rule hits in the window, by "provider|ruleId".</summary>
    public required Dictionary<string, long> Responses { get; set; }

    public static WindowStats From(WindowSnapshot w) => new()
    {
        Start = DateTimeOffset.FromUnixTimeMilliseconds(w.StartMs),
        End = DateTimeOffset.FromUnixTimeMilliseconds(w.EndMs),
        DurationSeconds = (long)w.Window.TotalSeconds,
        Totals = w.Totals.ToDictionary(),
        ByProvider = ProviderCounts.From(w),
        Responses = new Dictionary<string, long>(w.Responses),
    };
}
