using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class RateRulesTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly RateRules _rules = new(new RateThresholds());

    private (AccountAggregate Account, Decision? Decision) Evaluate(long sent, long hard, long complaints, string status = EntityStatus.Healthy)
    {
        var a = new AccountAggregate { AccountId = "acct", Status = status };
        _counters.Add(a.Windows, Providers.Gmail, Counters.Sent, T0, (int)sent);
        _counters.Add(a.Windows, Providers.Gmail, Counters.HardBounces, T0, (int)hard);
        _counters.Add(a.Windows, Providers.Gmail, Counters.Complaints, T0, (int)complaints);
        return (a, _rules.Evaluate(a, _counters.Snapshot(a.Windows)));
    }

    [Theory]
    [InlineData(1000, 49, 0, null)]                          // 4.9 %: healthy
    [InlineData(1000, 50, 0, "under_review")]                // 5 %: review
    [InlineData(1000, 99, 0, "under_review")]
    [InlineData(1000, 100, 0, "paused")]                     // 10 %: pause at once
    [InlineData(500, 60, 0, "paused")]                       // 12 % over 500
    [InlineData(199, 60, 0, null)]                           // below the bounce minimum volume
    [InlineData(200, 20, 0, "paused")]                       // exactly the minimum volume
    [InlineData(40, 12, 0, null)]                            // 30 % over 40 recipients
    [InlineData(10_000, 0, 9, null)]                         // 0.09 %
    [InlineData(10_000, 0, 10, "under_review")]              // 0.1 %
    [InlineData(10_000, 0, 50, "paused")]                    // 0.5 %
    [InlineData(999, 0, 100, null)]                          // below the complaint minimum volume
    [InlineData(1000, 0, 5, "paused")]                       // 0.5 % at exactly 1000
    [InlineData(1000, 60, 1, "under_review")]                // bounce review; complaint 0.1 % too
    public void SES_thresholds_with_minimum_volumes(long sent, long hard, long complaints, string? expected)
    {
        var (_, d) = Evaluate(sent, hard, complaints);
        Assert.Equal(expected, d?.To);
    }

    [Fact]
    public void A_decision_carries_its_evidence_and_a_deterministic_id()
    {
        var (a, d) = Evaluate(500, 60, 0);
        Assert.NotNull(d);
        Assert.Equal("bounce-rate-pause", d.Rule);
        Assert.Equal("healthy", d.From);
        Assert.Equal(500, d.Evidence.Counts["sent"]);
        Assert.Equal(0.12, d.Evidence.Rates["bounce"], 6);
        Assert.Equal(0.10, d.Evidence.Threshold.Value);
        Assert.Equal(200, d.Evidence.Threshold.MinVolume);
        Assert.Equal(EntityStatus.Paused, a.Status);
        Assert.Equal(DecisionIds.For("account", "acct", 1, "paused", "bounce-rate-pause"), d.DecisionId);
        var (_, again) = Evaluate(500, 60, 0);
        Assert.Equal(d.DecisionId, again!.DecisionId);
    }

    [Fact]
    public void Statuses_only_escalate_here()
    {
        Assert.Null(Evaluate(1000, 60, 0, EntityStatus.UnderReview).Decision);   // already under review
        Assert.Null(Evaluate(1000, 0, 0, EntityStatus.Paused).Decision);         // healthy rates do not resume
        Assert.Equal("paused", Evaluate(1000, 150, 0, EntityStatus.UnderReview).Decision!.To);
        Assert.Null(Evaluate(1000, 150, 0, EntityStatus.Paused).Decision);
    }
}
