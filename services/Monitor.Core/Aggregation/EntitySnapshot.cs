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

/// <summary>
/// One window of an entity's statistics. Built by <see cref="From"/>, it keeps the window it was made of and is written to JSON
/// straight from its counters (<see cref="WindowStatsConverter"/>): an entity's statistics are published at every change,
/// and building the dictionaries first made them most of what the statistics tick allocated. Read from JSON (or built by
/// hand), it holds the dictionaries.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(WindowStatsConverter))]
public sealed class WindowStats
{
    private Dictionary<string, long>? _totals;
    private List<ProviderCounts>? _byProvider;
    private Dictionary<string, long>? _responses;

    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public long DurationSeconds { get; set; }

    /// <summary>The window this was built from, if it was (then the properties below are made from it when first read).</summary>
    internal WindowSnapshot? Source { get; private init; }

    public Dictionary<string, long> Totals
    {
        get => _totals ??= Source?.Totals.ToDictionary() ?? [];
        set => _totals = value;
    }

    public List<ProviderCounts> ByProvider
    {
        get => _byProvider ??= Source is { } w ? ProviderCounts.From(w) : [];
        set => _byProvider = value;
    }

    /// <summary>Response rule hits in the window, by "provider|ruleId".</summary>
    public Dictionary<string, long> Responses
    {
        get => _responses ??= Source is { } w ? new Dictionary<string, long>(w.Responses) : [];
        set => _responses = value;
    }

    public static WindowStats From(WindowSnapshot w) => new()
    {
        Start = DateTimeOffset.FromUnixTimeMilliseconds(w.StartMs),
        End = DateTimeOffset.FromUnixTimeMilliseconds(w.EndMs),
        DurationSeconds = (long)w.Window.TotalSeconds,
        Source = w,
    };
}
