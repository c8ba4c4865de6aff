using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>A new IP's ramp over three days under the default schedule (Gmail 50, 100, 200 …; Yahoo and others 100, 200, 400 …).</summary>
public sealed class WarmupTests
{
    private const long Hour = 3_600_000, Day = 24 * Hour;
    private static readonly long Start = DateTimeOffset.Parse("2026-11-20T08:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());

    /// <summary>Day 1 and 2 within the schedule, then day 3 (noon) with <paramref name="gmailDay3"/> to Gmail.</summary>
    private EntityWindows Ramp(int gmailDay3, int yahooDay3 = 300, int microsoftDay3 = 0, int microsoftThrottled = 0, string? pool = "dedicated-a")
    {
        var w = new EntityWindows();
        void Send(long at, int provider, int n)
        {
            if (n == 0) return;
            _counters.Add(w, provider, Counters.Sent, at, n);
            if (pool is not null) _counters.Tally(w, WarmupRules.PoolTallyPrefix + pool, at);
        }
        Send(Start, Providers.Gmail, 40);
        Send(Start, Providers.Yahoo, 90);
        Send(Start + Day, Providers.Gmail, 90);
        Send(Start + Day, Providers.Yahoo, 180);
        var day3 = Start + 2 * Day + 4 * Hour;
        Send(day3, Providers.Gmail, gmailDay3);
        Send(day3, Providers.Yahoo, yahooDay3);
        Send(day3, Providers.Microsoft, microsoftDay3);
        if (microsoftThrottled > 0) _counters.Add(w, Providers.Microsoft, Counters.Throttled, day3 + 60_000, microsoftThrottled);
        return w;
    }

    private static List<Decision> Evaluate(EntityWindows w, WarmupOptions? options = null) =>
        new WarmupRules(options ?? new WarmupOptions()).Evaluate(new EntityView(new WindowedCounters(new WindowOptions()), TimeSpan.FromMinutes(15),
            Dimensions.Ip, Dimensions.Ip, "111122223333/192.0.2.50", w, null, () => EntityStatus.Healthy, [])).Findings.ToList();

    [Fact]
    public void An_ip_that_sends_gmail_more_than_day_three_allows_is_found_overshooting_there_and_nowhere_else()
    {
        var w = Ramp(gmailDay3: 500);
        var findings = Evaluate(w);

        var overshoot = Assert.Single(findings);
        Assert.Equal("warmup-overshoot:gmail", overshoot.Rule);
        Assert.Equal("prevention", overshoot.Pillar);
        Assert.Equal("gmail", overshoot.Provider);
        Assert.Equal(200, overshoot.Evidence.Counts["allowed"]);
        Assert.Equal(3, overshoot.Evidence.Counts["day"]);
        Assert.Equal(500, overshoot.Evidence.Counts["sent"]); // the day-3 send; days 1 and 2 have left the 24 h window
        Assert.Contains("day 3 of its warm-up: 500 recipients at gmail in 24 h, the schedule allows 200 (pool dedicated-a)", overshoot.Reason);
        Assert.Empty(Evaluate(w)); // once a day

        var report = WarmupPlan.Evaluate(new WarmupOptions(), "dedicated-a", w.FirstSeenMs, w.StreamTimeMs,
            new Dictionary<string, (long, long, long)> { ["gmail"] = (500, 0, 0), ["yahoo"] = (330, 0, 0) });
        Assert.Equal((3, 14, WarmupPlan.Over), (report.Day, report.Days, report.Status));
        Assert.Equal((200L, WarmupPlan.Over), report.Providers.Where(p => p.Provider == "gmail").Select(p => (p.Allowed!.Value, p.Status)).Single());
        Assert.Equal((400L, WarmupPlan.Near), report.Providers.Where(p => p.Provider == "yahoo").Select(p => (p.Allowed!.Value, p.Status)).Single());
    }

    [Fact]
    public void Within_the_schedule_nothing_is_found_but_a_provider_that_throttles_the_new_ip_is()
    {
        Assert.Empty(Evaluate(Ramp(gmailDay3: 180)));
        // An IP whose attempts name no pool follows the default schedule.
        Assert.Equal("warmup-overshoot:gmail", Assert.Single(Evaluate(Ramp(gmailDay3: 500, pool: null))).Rule);
        Assert.Null(WarmupRules.PoolOf(new Dictionary<string, long> { ["attempt|accepted"] = 3 }));
        var throttled = Assert.Single(Evaluate(Ramp(gmailDay3: 180, microsoftDay3: 150, microsoftThrottled: 12))); // 8 % ≥ 5 %
        Assert.Equal("warmup-throttled:microsoft", throttled.Rule);
    }

    [Fact]
    public void Warm_ips_have_no_allowance_a_pool_of_its_own_has_its_own_schedule()
    {
        Assert.Empty(Evaluate(Ramp(gmailDay3: 500, pool: "shared-1")));                                        // a shared pool is warm
        Assert.Empty(Evaluate(Ramp(gmailDay3: 500), new WarmupOptions { WarmBefore = DateTimeOffset.Parse("2026-11-21T00:00:00Z") }));
        Assert.Empty(Evaluate(Ramp(gmailDay3: 500), new WarmupOptions { Enabled = false }));
        var fast = new WarmupOptions { Pools = { ["dedicated-a"] = new() { ["default"] = [1_000, 2_000, 4_000] } } };
        Assert.Empty(Evaluate(Ramp(gmailDay3: 500), fast));
        var slow = new WarmupOptions { Pools = { ["dedicated-a"] = new() { ["default"] = [100, 100, 100] } } };
        Assert.Equal(["warmup-overshoot:gmail", "warmup-overshoot:yahoo"], Evaluate(Ramp(gmailDay3: 500), slow).Select(f => f.Rule).Order());

        var w = Ramp(gmailDay3: 500);
        var report = WarmupPlan.Evaluate(new WarmupOptions(), null, w.FirstSeenMs, w.FirstSeenMs + 20 * Day, new Dictionary<string, (long, long, long)>());
        Assert.Equal((21, WarmupPlan.Warm), (report.Day, report.Status));
    }
}
