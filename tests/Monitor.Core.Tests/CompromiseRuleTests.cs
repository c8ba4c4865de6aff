using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class CompromiseRuleTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T00:00:00Z").ToUnixTimeMilliseconds();
    private const long Hour = 3_600_000;
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly CompromiseRule _rule = new(new CompromiseOptions(), new RateThresholds());

    private (double? Baseline, WindowSnapshot LastHour) Account(int baselinePerHour, int hours, int spike, int complaints)
    {
        var w = new EntityWindows();
        for (var h = 0; h < hours; h++) _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + h * Hour, baselinePerHour);
        _counters.Add(w, Providers.Gmail, Counters.Sent, T0 + hours * Hour + 60_000, spike);
        if (complaints > 0) _counters.Add(w, Providers.Gmail, Counters.Complaints, T0 + hours * Hour + 120_000, complaints);
        return (_counters.HourlyBaseline(w, TimeSpan.FromHours(12)), _counters.Snapshot(w, WindowKind.Short));
    }

    private static (string, long, long)[] Callers(long spikeFirstSeen, int newSent, int oldSent) =>
        [("app@198.51.100.7", T0, oldSent), ("leaked@203.0.113.66", spikeFirstSeen, newSent)];

    [Fact]
    public void The_baseline_is_the_hourly_average_before_the_last_hour()
    {
        var (baseline, _) = Account(20, 30, 0, 0);
        Assert.Equal(20, baseline!.Value, 0);
        Assert.Null(Account(20, 6, 0, 0).Baseline);          // not enough history
    }

    [Theory]
    [InlineData(400, 4, 400, true)]      // 20× volume, all from a new caller, complaints 1 %
    [InlineData(150, 2, 150, false)]     // spike too small in absolute volume
    [InlineData(180, 4, 180, false)]     // 9× the baseline only
    [InlineData(400, 0, 400, false)]     // no bounce or complaint spike
    [InlineData(400, 4, 100, false)]     // the new caller carries only 25 % of it
    public void Volume_spike_plus_new_callers_plus_feedback_spike(int spike, int complaints, int fromNewCaller, bool expected)
    {
        var (baseline, lastHour) = Account(20, 30, spike, complaints);
        var signal = _rule.Assess(baseline, lastHour, Callers(T0 + 30 * Hour, fromNewCaller, spike - fromNewCaller));
        Assert.Equal(expected, signal is not null);
        if (signal is null) return;
        Assert.Equal(["leaked@203.0.113.66"], signal.NewCallers);
        Assert.Contains("leaked@203.0.113.66", signal.Reason);
    }

    [Fact]
    public void A_caller_seen_for_days_is_not_new()
    {
        var (baseline, lastHour) = Account(20, 30, 400, 4);
        Assert.Null(_rule.Assess(baseline, lastHour, Callers(T0, 400, 0)));
    }

    [Fact]
    public void The_signal_pauses_at_once_and_names_the_new_callers()
    {
        var (baseline, lastHour) = Account(20, 30, 400, 4);
        var signal = _rule.Assess(baseline, lastHour, Callers(T0 + 30 * Hour, 400, 0))!;
        var state = new EntityState { Status = EntityStatus.UnderReview, Review = new OpenReview { Id = "r1", Rule = "x" } };
        var d = new StatusMachine(new RateRules(new RateThresholds()), TimeSpan.FromHours(72))
            .OnCompromise("account", "acct", state, lastHour, [], signal, T0)!;
        Assert.Equal(("under_review", "paused", CompromiseRule.Rule, "analysis"), (d.From, d.To, d.Rule, d.Pillar));
        Assert.Equal(["leaked@203.0.113.66"], d.Evidence.NewCallers);
        Assert.Equal("escalated", d.Review!.Outcome);
    }
}
