using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>Rule scenarios: volume, rates, new and established senders, bulk senders.</summary>
public sealed class MonitoringAndComplianceRulesTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T00:00:00Z").ToUnixTimeMilliseconds();
    private const long Hour = 3_600_000, Day = 24 * Hour;
    private readonly WindowedCounters _counters = new(new WindowOptions());

    private List<Decision> Monitoring(long firstSeenAgo, int hoursOfHistory, int perHour, int hourlyBounces, int lastHourSent, int lastHourBounces)
    {
        var w = new EntityWindows();
        var end = T0 + 30 * Day;
        for (var h = hoursOfHistory; h >= 2; h--)
        {
            _counters.Add(w, Providers.Gmail, Counters.Sent, end - h * Hour, perHour);
            if (hourlyBounces > 0) _counters.Add(w, Providers.Gmail, Counters.HardBounces, end - h * Hour, hourlyBounces);
        }
        _counters.Add(w, Providers.Gmail, Counters.Sent, end - 10 * 60_000, lastHourSent);
        if (lastHourBounces > 0) _counters.Add(w, Providers.Gmail, Counters.HardBounces, end - 5 * 60_000, lastHourBounces);
        w.FirstSeenMs = end - firstSeenAgo;
        var (prior, hours) = _counters.Prior(w);
        return new MonitoringRules(new MonitoringOptions()).Evaluate("account", "acct", "healthy", w.FirstSeenMs,
            _counters.Snapshot(w), _counters.Snapshot(w, WindowKind.Short), prior, hours, w.Findings);
    }

    [Theory]
    // first seen, history h, per hour, bounces/h, last hour sent, last hour bounces → expected findings
    [InlineData(2 * Day, 20, 10, 0, 100, 10, "new-sender:bounce")]                     // new sender: 10 / 290 = 3.4 % >= 3 %
    [InlineData(60 * Day, 20, 10, 0, 100, 10, "")]                                     // the same, established: no new-sender watch
    [InlineData(60 * Day, 20, 100, 1, 100, 10, "baseline-deviation:bounce")]           // 1 % → 10 % in the last hour
    [InlineData(60 * Day, 20, 100, 1, 100, 2, "")]                                     // 2 %: within the margin
    [InlineData(60 * Day, 20, 40, 0, 400, 0, "baseline-deviation:volume")]             // 10× the hourly volume
    [InlineData(60 * Day, 3, 100, 0, 1000, 0, "")]                                     // too little history for a baseline
    public void Early_warnings(long firstSeenAgo, int history, int perHour, int bounces, int lastHour, int lastBounces, string expected)
    {
        var rules = string.Join(',', Monitoring(firstSeenAgo, history, perHour, bounces, lastHour, lastBounces).Select(f => f.Rule).Order());
        Assert.Equal(expected, rules);
    }

    [Theory]
    [InlineData(6000, 1000, 7, 0, "bulk-sender-complaints:warning")]          // 0.1 %
    [InlineData(6000, 1000, 21, 0, "bulk-sender-complaints:violation")]       // 0.3 %
    [InlineData(4000, 0, 40, 0, "")]                                          // not a bulk sender
    [InlineData(6000, 0, 0, 1000, "bulk-sender-unsubscribe")]                 // 1000 of 6000 without one-click
    [InlineData(6000, 0, 0, 100, "")]                                         // under 5 %
    public void Bulk_sender_requirements(int gmail, int other, int complaints, int withoutOneClick, string expected)
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0, gmail);
        _counters.Add(w, Providers.Yahoo, Counters.Sent, T0, other);
        if (complaints > 0) _counters.Add(w, Providers.Gmail, Counters.Complaints, T0, complaints);
        for (var i = 0; i < gmail + other; i += 100)
        {
            for (var k = 0; k < 100; k++) _counters.Tally(w, BulkSenderRules.AttemptTally, T0);
        }
        for (var i = 0; i < withoutOneClick; i++) _counters.Tally(w, BulkSenderRules.NoOneClickTally, T0);
        var findings = new BulkSenderRules(new BulkSenderOptions()).Evaluate("acct/news.example", "healthy", _counters.Snapshot(w), w.Findings);
        Assert.Equal(expected, string.Join(',', findings.Select(f => f.Rule)));
    }

    [Fact]
    public void The_bulk_sender_rule_looks_at_sending_domains_through_the_rule_interface()
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0, 6000);
        _counters.Add(w, Providers.Gmail, Counters.Complaints, T0, 9); // 0.15 %
        IReputationRule rule = new BulkSenderRules(new BulkSenderOptions());
        var view = new EntityView(_counters, TimeSpan.FromMinutes(15), Dimensions.Domain, Dimensions.Domain, "acct/news.example", w, null,
            () => EntityStatus.Healthy, []);

        Assert.True(rule.AppliesTo(Dimensions.Domain));
        Assert.False(rule.AppliesTo(Dimensions.Account));
        Assert.Equal("bulk-sender-complaints:warning", Assert.Single(rule.Evaluate(view).Findings).Rule);
        Assert.Empty(rule.Evaluate(view).Findings); // once per slice: the view's findings memory remembers it
    }
}
