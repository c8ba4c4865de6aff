using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class RateRulesTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly RateRules _rules = new(new RateThresholds());

    private WindowSnapshot Window(long sent, long hard, long complaints)
    {
        var w = new EntityWindows();
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0, (int)sent);
        _counters.Add(w, Providers.Gmail, Counters.HardBounces, T0, (int)hard);
        _counters.Add(w, Providers.Gmail, Counters.Complaints, T0, (int)complaints);
        return _counters.Snapshot(w);
    }

    [Theory]
    [InlineData(1000, 49, 0, null, null)]                                   // 4.9 %: healthy
    [InlineData(1000, 50, 0, "under_review", "bounce-rate-review")]         // 5 %: review
    [InlineData(1000, 99, 0, "under_review", "bounce-rate-review")]
    [InlineData(1000, 100, 0, "paused", "bounce-rate-pause")]               // 10 %: pause at once
    [InlineData(500, 60, 0, "paused", "bounce-rate-pause")]                 // 12 % over 500
    [InlineData(199, 60, 0, null, null)]                                    // below the bounce minimum volume
    [InlineData(200, 20, 0, "paused", "bounce-rate-pause")]                 // exactly the minimum volume
    [InlineData(40, 12, 0, null, null)]                                     // 30 % over 40 recipients
    [InlineData(10_000, 0, 9, null, null)]                                  // 0.09 %
    [InlineData(10_000, 0, 10, "under_review", "complaint-rate-review")]    // 0.1 %
    [InlineData(10_000, 0, 50, "paused", "complaint-rate-pause")]           // 0.5 %
    [InlineData(999, 0, 100, null, null)]                                   // below the complaint minimum volume
    [InlineData(1000, 0, 5, "paused", "complaint-rate-pause")]              // 0.5 % at exactly 1000
    [InlineData(1000, 60, 1, "under_review", "bounce-rate-review")]         // bounce review beats complaint review
    [InlineData(1000, 60, 5, "paused", "complaint-rate-pause")]             // any pause beats any review
    public void SES_thresholds_with_minimum_volumes(long sent, long hard, long complaints, string? status, string? rule)
    {
        var hit = _rules.Assess(Window(sent, hard, complaints));
        Assert.Equal(status, hit?.To);
        Assert.Equal(rule, hit?.Rule);
    }

    [Fact]
    public void Thresholds_are_configuration()
    {
        var strict = new RateRules(new RateThresholds { BounceReview = 0.02, BouncePause = 0.04, BounceMinVolume = 50 });
        Assert.Equal("paused", strict.Assess(Window(100, 4, 0))?.To);
        Assert.Null(_rules.Assess(Window(100, 4, 0)));
    }
}
