using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// Where a sending IP stands in its warm-up: its day (from when it was first seen, by event time), and per provider what it
/// sent in the last 24 h against what the schedule allows that day, with its bounce and throttle rates. Read by the warm-up
/// rule in the stream and by <c>GET /v1/ips/{ip}/warmup</c>, so both say the same.
/// </summary>
public static class WarmupPlan
{
    public const string Warming = "warming", Warm = "warm", Over = "over", Near = "near", Ok = "ok";
    private const long DayMs = 86_400_000;

    /// <param name="byProvider">The last 24 h per provider: provider name → (sent, hard bounces, throttled).</param>
    public static WarmupReport Evaluate(WarmupOptions options, string? pool, long firstSeenMs, long asOfMs,
        IReadOnlyDictionary<string, (long Sent, long HardBounces, long Throttled)> byProvider)
    {
        var day = (int)Math.Max(1, (asOfMs - firstSeenMs) / DayMs + 1);
        var days = options.Days(pool);
        var warming = day <= days && options.Applies(pool, firstSeenMs);
        var providers = new List<WarmupProvider>();
        foreach (var provider in Providers.All)
        {
            var (sent, bounces, throttled) = byProvider.GetValueOrDefault(provider);
            var schedule = options.For(pool, provider);
            long? allowed = warming && day <= schedule.Length ? schedule[day - 1] : null;
            if (sent == 0 && allowed is null) continue;
            var bounceRate = sent == 0 ? 0 : (double)bounces / sent;
            var throttleRate = sent == 0 ? 0 : (double)throttled / sent;
            var status = allowed is not { } limit ? Ok : sent > limit ? Over : sent >= limit * options.NearShare ? Near : Ok;
            var judged = warming && sent >= options.MinVolume;
            providers.Add(new WarmupProvider(provider, allowed, sent, status, bounceRate, throttleRate,
                judged && bounceRate >= options.BounceRate, judged && throttleRate >= options.ThrottleRate));
        }
        var overall = !warming ? Warm : providers.Any(p => p.Status == Over) ? Over : Warming;
        return new WarmupReport(pool, DateTimeOffset.FromUnixTimeMilliseconds(firstSeenMs), DateTimeOffset.FromUnixTimeMilliseconds(asOfMs), day, days,
            overall, providers);
    }
}

/// <param name="Day">Day of the warm-up (1 on the day the IP was first seen).</param>
/// <param name="Days">Length of its schedule; past it (or in a warm pool, or first seen before <c>WarmBefore</c>) the IP is <c>warm</c>.</param>
/// <param name="Status"><c>warming</c>, <c>over</c> (a provider got more than its allowance) or <c>warm</c>.</param>
public sealed record WarmupReport(string? Pool, DateTimeOffset FirstSeen, DateTimeOffset AsOf, int Day, int Days, string Status,
    IReadOnlyList<WarmupProvider> Providers);

/// <param name="Allowed">Recipients the schedule allows this day (null: warm, no limit).</param>
/// <param name="Sent">Recipients sent in the last 24 h.</param>
/// <param name="Status"><c>ok</c>, <c>near</c> (≥ 80 % of the allowance) or <c>over</c>.</param>
/// <param name="BouncesHigh">The hard-bounce rate is at or above the warm-up's limit (with its minimum volume).</param>
/// <param name="ThrottledHigh">The throttled share is at or above the warm-up's limit.</param>
public sealed record WarmupProvider(string Provider, long? Allowed, long Sent, string Status, double BounceRate, double ThrottleRate,
    bool BouncesHigh, bool ThrottledHigh);
