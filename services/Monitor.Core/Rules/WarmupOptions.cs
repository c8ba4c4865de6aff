namespace ReputationMonitor.Core.Rules;

/// <summary>
/// <c>Reputation:Warmup</c>: how a new sending IP ramps up, per mailbox provider. A schedule is, per provider (<c>gmail</c>,
/// <c>microsoft</c>, ... or <c>default</c> for the others), the recipients it may take on each day of the warm-up (day 1
/// first); past the last day the IP is warm. <see cref="Pools"/> gives a pool its own schedule (dedicated pools ramp as
/// their sender agreed), per provider as well.
/// </summary>
public sealed class WarmupOptions
{
    public const string DefaultProvider = "default";

    public bool Enabled { get; set; } = true;

    /// <summary>Pools whose IPs are warm already (a trailing <c>*</c> matches a prefix): shared pools are the provider's to keep
    /// warm, not the sender's to ramp up.</summary>
    public List<string> WarmPools { get; set; } = ["shared*"];

    /// <summary>IPs the monitor first saw before this time are warm: at a first deployment every IP is "new" to the monitor,
    /// not to the mailbox providers. Set it to when the monitor started watching established IPs.</summary>
    public DateTimeOffset? WarmBefore { get; set; }

    /// <summary>The schedule of every IP whose pool has none of its own; empty: <see cref="DefaultSchedule"/>. Configured, it
    /// replaces the default whole (a provider it does not name follows its <c>default</c>).</summary>
    public Dictionary<string, long[]> Schedule { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A conservative ramp that roughly doubles daily for two weeks, with Gmail and Microsoft — the strictest about
    /// new IPs — a step behind the others (mailbox providers' and ESPs' warm-up guidance).</summary>
    public static readonly IReadOnlyDictionary<string, long[]> DefaultSchedule = new Dictionary<string, long[]>(StringComparer.OrdinalIgnoreCase)
    {
        [DefaultProvider] = [100, 200, 400, 800, 1_500, 3_000, 5_000, 8_000, 12_000, 20_000, 30_000, 45_000, 70_000, 100_000],
        ["gmail"] = [50, 100, 200, 400, 800, 1_500, 3_000, 5_000, 8_000, 12_000, 20_000, 30_000, 45_000, 70_000],
        ["microsoft"] = [50, 100, 200, 400, 800, 1_500, 3_000, 5_000, 8_000, 12_000, 20_000, 30_000, 45_000, 70_000],
    };

    /// <summary>Schedules of their own for some pools (by pool name), shaped like <see cref="Schedule"/>.</summary>
    public Dictionary<string, Dictionary<string, long[]>> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>During warm-up, a provider's hard-bounce rate at or above this (with <see cref="MinVolume"/>) is a finding.</summary>
    public double BounceRate { get; set; } = 0.02;

    /// <summary>During warm-up, a provider's throttled share at or above this (with <see cref="MinVolume"/>) is a finding: it is
    /// telling the IP to slow down.</summary>
    public double ThrottleRate { get; set; } = 0.05;

    /// <summary>Recipients a provider must have had from the IP in the day before its rates are judged.</summary>
    public long MinVolume { get; set; } = 50;

    /// <summary>Share of the day's allowance above which a provider is <c>near</c> its limit.</summary>
    public double NearShare { get; set; } = 0.8;

    /// <summary>Whether an IP of <paramref name="pool"/>, first seen at <paramref name="firstSeenMs"/>, has a warm-up at all.</summary>
    public bool Applies(string? pool, long firstSeenMs) =>
        Enabled && (WarmBefore is not { } before || firstSeenMs >= before.ToUnixTimeMilliseconds())
        && (pool is null || !WarmPools.Any(w => w.EndsWith('*') ? pool.StartsWith(w[..^1], StringComparison.Ordinal) : pool == w));

    /// <summary>The schedule for an IP of <paramref name="pool"/> at <paramref name="provider"/>: the pool's own, else the default.</summary>
    public long[] For(string? pool, string provider)
    {
        var schedule = Of(pool);
        return schedule.TryGetValue(provider, out var days) ? days : schedule.GetValueOrDefault(DefaultProvider) ?? [];
    }

    /// <summary>The warm-up's length for the pool: its longest provider schedule.</summary>
    public int Days(string? pool) => Of(pool).Values.Select(d => d.Length).DefaultIfEmpty(0).Max();

    /// <summary>The longest warm-up of any pool: an IP older than this is warm whatever its pool.</summary>
    public int LongestDays => Pools.Keys.Select(Days).Append(Days(null)).Max();

    private IReadOnlyDictionary<string, long[]> Of(string? pool) =>
        pool is not null && Pools.TryGetValue(pool, out var own) ? own : Schedule.Count > 0 ? Schedule : DefaultSchedule;
}
