using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class ProviderFeedbackRulesTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
    private readonly WindowedCounters _counters = new(new WindowOptions());
    private readonly ProviderFeedbackRules _rules = new(new FindingThresholds(), SmtpResponseClassifier.Default);
    private readonly EntityWindows _w = new();

    private void Add(int provider, int counter, int n, string? rule = null, long at = 0) =>
        _counters.Add(_w, provider, counter, T0 + at, n, rule);

    private List<Decision> Evaluate() =>
        _rules.Evaluate("account", "acct", "healthy", _counters.Recent(_w, TimeSpan.FromMinutes(15)), _w.Findings);

    [Theory]
    [InlineData(100, 10, true)]     // 10 % of Gmail recipients throttled
    [InlineData(100, 9, false)]
    [InlineData(49, 49, false)]     // below the minimum volume
    public void Throttling_spike_per_provider(int sent, int throttled, bool expected)
    {
        Add(Providers.Gmail, Counters.Sent, sent);
        Add(Providers.Gmail, Counters.Throttled, throttled);
        Add(Providers.Gmail, Counters.Delayed, throttled, "gmail-4.7.28-rate");
        Add(Providers.Microsoft, Counters.Sent, 500);
        var findings = Evaluate();
        Assert.Equal(expected, findings.Any(f => f.Rule == "provider-throttling:gmail"));
        Assert.DoesNotContain(findings, f => f.Provider == "microsoft");
        if (!expected) return;
        var f = findings.Single();
        Assert.Equal(("finding", "analysis", "healthy", "healthy"), (f.Kind, f.Pillar, f.From, f.To));
        Assert.Equal("gmail-4.7.28-rate", f.Evidence.Responses![0].RuleId);
        Assert.Contains("rate-limits", f.Evidence.Responses[0].Explanation);
    }

    [Theory]
    [InlineData("yahoo-bl2x-spamhaus", 5, "provider-blocklisting:yahoo")]
    [InlineData("named-block-list", 4, null)]
    [InlineData("unauthenticated", 10, "provider-auth-failures:yahoo")]
    [InlineData("apple-hcm1-reputation", 10, "provider-reputation-block:yahoo")]
    public void Response_classes_from_one_provider(string rule, int count, string? expected)
    {
        Add(Providers.Yahoo, Counters.Sent, 1000);
        Add(Providers.Yahoo, Counters.HardBounces, count, rule);
        Assert.Equal(expected, Evaluate().SingleOrDefault()?.Rule);
    }

    [Fact]
    public void A_persisting_problem_is_reported_once_per_slice_with_a_deterministic_id()
    {
        Add(Providers.Gmail, Counters.Sent, 100);
        Add(Providers.Gmail, Counters.Throttled, 50);
        var first = Assert.Single(Evaluate());
        Assert.Empty(Evaluate());                                          // same slice: already raised
        Add(Providers.Gmail, Counters.Sent, 100, at: 16 * 60_000);
        Add(Providers.Gmail, Counters.Throttled, 50, at: 16 * 60_000);
        var next = Assert.Single(Evaluate());                              // next slice: raised again
        Assert.NotEqual(first.DecisionId, next.DecisionId);

        var replay = new ProviderFeedbackRulesTests();
        replay.Add(Providers.Gmail, Counters.Sent, 100);
        replay.Add(Providers.Gmail, Counters.Throttled, 50);
        Assert.Equal(first.DecisionId, replay.Evaluate().Single().DecisionId);
    }

    [Theory]
    [InlineData("account", "named-block-list/ip", true)]
    [InlineData("ip", "named-block-list/ip", true)]
    [InlineData("domain", "named-block-list/ip", false)]       // the IP is listed, not the domain
    [InlineData("domain", "reputation/domain", true)]
    [InlineData("ip", "reputation/domain", false)]
    [InlineData("configurationSet", "microsoft-s3150-blocklist/netblock", false)]
    [InlineData("configurationSet", "named-block-list", true)]  // no scope named: every entity
    public void A_block_that_names_what_it_limits_is_raised_on_that_entity(string kind, string key, bool raised)
    {
        Add(Providers.Yahoo, Counters.Sent, 1000);
        Add(Providers.Yahoo, Counters.HardBounces, 10, key);
        var findings = _rules.Evaluate(kind, "acct/x", "healthy", _counters.Recent(_w, TimeSpan.FromMinutes(15)), _w.Findings);
        Assert.Equal(raised, findings.Count == 1);
        if (raised && key.Contains('/'))
            Assert.Equal((key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]), (findings[0].Evidence.Responses![0].RuleId, findings[0].Evidence.Responses![0].Scope));
    }
}
