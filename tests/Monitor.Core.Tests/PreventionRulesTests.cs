using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class PreventionRulesTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly PreventionRules _rules = new(new PreventionOptions());

    private List<Decision> Run(int accepted, int refused, string code, int whilePaused = 0)
    {
        var w = new EntityWindows();
        for (var i = 0; i < accepted; i++) _counters.Tally(w, PreventionRules.AcceptedTally, T0 + i * 1000);
        for (var i = 0; i < refused; i++) _counters.Tally(w, PreventionRules.FailedTallyPrefix + code, T0 + i * 1000);
        for (var i = 0; i < whilePaused; i++) _counters.Tally(w, PreventionRules.PausedTally, T0 + i * 1000);
        return _rules.Evaluate("account", "acct", "healthy", _counters.Recent(w, TimeSpan.FromMinutes(15)), w.Findings);
    }

    [Theory]
    [InlineData(100, 30, "MessageRejected", "failed-attempts:MessageRejected")]
    [InlineData(100, 19, "DailyQuotaExceeded", null)]           // too few
    [InlineData(1000, 50, "MaxSendRateExceeded", null)]         // under 10 % of requests
    [InlineData(10, 40, "MaxSendRateExceeded", "failed-attempts:MaxSendRateExceeded")]
    public void Refused_request_spikes_by_error_code(int accepted, int refused, string code, string? expected)
    {
        var f = Run(accepted, refused, code).SingleOrDefault();
        Assert.Equal(expected, f?.Rule);
        if (f is null) return;
        Assert.Equal(("prevention", "finding"), (f.Pillar, f.Kind));
    }

    [Fact]
    public void Requests_for_a_paused_account_raise_a_finding()
    {
        var f = Assert.Single(Run(5, 0, "x", whilePaused: 3));
        Assert.Equal(PreventionRules.PausedSending, f.Rule);
        Assert.Contains("sending-status", f.Reason);
    }
}
