using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// The prevention pillar for new sending IPs: while an IP is in its warm-up (<see cref="WarmupOptions"/>), a finding when it
/// sends a provider more than the day allows (<c>warmup-overshoot</c>), and when a provider bounces (<c>warmup-bounces</c>)
/// or throttles (<c>warmup-throttled</c>) too much of its mail — the signs that the provider does not trust it yet. One per
/// provider and day; findings only.
/// </summary>
public sealed class WarmupRules(WarmupOptions options) : IReputationRule
{
    public const string Overshoot = "warmup-overshoot", Bounces = "warmup-bounces", Throttled = "warmup-throttled";

    /// <summary>The tally that tells which pool an IP sends for ("pool|name"): the schedule is the pool's.</summary>
    public const string PoolTallyPrefix = "pool|";

    public string Name => "warmup";

    public bool AppliesTo(string kind) => kind == Aggregation.Dimensions.Ip;

    public RuleResult Evaluate(EntityView entity)
    {
        if (!options.Enabled || entity.FirstSeenMs == 0 || entity.Windows.StreamTimeMs - entity.FirstSeenMs >= options.LongestDays * 86_400_000L)
            return RuleResult.None; // warm whatever its pool: nothing to look at, no window read
        var day = entity.All;
        var pool = PoolOf(day.Responses);
        var byProvider = Enumerable.Range(0, Providers.Count).ToDictionary(Providers.Name,
            p => (day.ByProvider[p].Sent, day.ByProvider[p][Counters.HardBounces], day.ByProvider[p][Counters.Throttled]));
        var report = WarmupPlan.Evaluate(options, pool, entity.FirstSeenMs, day.EndMs, byProvider);
        if (report.Status == WarmupPlan.Warm) return RuleResult.None;
        var findings = new List<Decision>();
        foreach (var p in report.Providers)
        {
            if (p.Status == WarmupPlan.Over)
                Raise(p, Overshoot, p.Sent, p.Allowed!.Value,
                    $"day {report.Day} of its warm-up: {p.Sent} recipients at {p.Provider} in 24 h, the schedule allows {p.Allowed}");
            if (p.BouncesHigh)
                Raise(p, Bounces, p.BounceRate, options.BounceRate,
                    $"day {report.Day} of its warm-up: {p.BounceRate:P1} of its mail to {p.Provider} hard-bounces (warm-up limit {options.BounceRate:P1})");
            if (p.ThrottledHigh)
                Raise(p, Throttled, p.ThrottleRate, options.ThrottleRate,
                    $"day {report.Day} of its warm-up: {p.Provider} throttles {p.ThrottleRate:P1} of its mail (warm-up limit {options.ThrottleRate:P1}): slow down there");
        }
        return RuleResult.Of(findings);

        void Raise(WarmupProvider p, string rule, double observed, double threshold, string reason)
        {
            var key = $"{rule}:{p.Provider}";
            if (!Findings.TryRaise(entity.Windows.Findings, key, Findings.SliceStart(day))) return;
            var counts = day.ByProvider[Providers.Parse(p.Provider)].ToDictionary();
            counts["allowed"] = p.Allowed ?? 0;
            counts["day"] = report.Day;
            findings.Add(Findings.Create(entity.Scope, entity.Entity, entity.Status, key, "prevention", p.Provider, day, counts,
                new() { ["bounce"] = p.BounceRate, ["throttle"] = p.ThrottleRate },
                new EvidenceThreshold(rule, threshold, options.MinVolume, observed), reason + (pool is null ? "" : $" (pool {pool})")));
        }
    }

    /// <summary>The pool the IP sent the most for in the window, if its attempts named one.</summary>
    public static string? PoolOf(IReadOnlyDictionary<string, long> responses)
    {
        string? pool = null;
        long most = 0;
        foreach (var (key, n) in responses)
            if (n > most && key.StartsWith(PoolTallyPrefix, StringComparison.Ordinal)) (pool, most) = (key[PoolTallyPrefix.Length..], n);
        return pool;
    }
}
