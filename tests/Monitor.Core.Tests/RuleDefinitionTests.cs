using System.ComponentModel.DataAnnotations;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

public sealed class RuleDefinitionTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();

    private static List<string> Errors(RuleDefinition r)
    {
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(r, new ValidationContext(r), errors, validateAllProperties: true);
        return errors.Select(e => e.ErrorMessage!).ToList();
    }

    [Theory]
    [InlineData("throttleRate", "account", "review", "gmail", "1h", 0.2, "")]
    [InlineData("teleportRate", "account", "finding", null, "24h", 0.2, "Metric")]
    [InlineData("bounceRate", "domain", "pause", null, "24h", 0.2, "only account")]
    [InlineData("bounceRate", "account", "finding", "aol", "24h", 0.2, "Provider")]
    [InlineData("bounceRate", "account", "finding", null, "7d", 0.2, "Window")]
    [InlineData("bounceRate", "account", "finding", null, "24h", 2.0, "Threshold")]
    public void Rules_are_validated_naming_the_field(string metric, string scope, string action, string? provider, string window, double threshold, string error)
    {
        var errors = Errors(new RuleDefinition { Id = "r1", Metric = metric, Scope = scope, Action = action, Provider = provider, Window = window, Threshold = threshold });
        if (error == "") Assert.Empty(errors);
        else Assert.Contains(errors, e => e.Contains(error) && e.Contains("Reputation:Rules:r1"));
    }

    [Fact]
    public void A_rule_measures_its_metric_on_its_provider_slice_with_a_minimum_volume()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var w = new EntityWindows();
        counters.Add(w, Providers.Gmail, Counters.Sent, T0, 100);
        counters.Add(w, Providers.Gmail, Counters.Throttled, T0, 30);
        counters.Add(w, Providers.Yahoo, Counters.Sent, T0, 900);
        var s = counters.Snapshot(w, WindowKind.Short);
        Assert.True(new RuleDefinition { Id = "g", Metric = "throttleRate", Provider = "gmail", Threshold = 0.2, MinVolume = 50 }.Fires(s));
        Assert.False(new RuleDefinition { Id = "a", Metric = "throttleRate", Threshold = 0.2 }.Fires(s));           // 3 % overall
        Assert.False(new RuleDefinition { Id = "m", Metric = "throttleRate", Provider = "gmail", Threshold = 0.2, MinVolume = 101 }.Fires(s));
        Assert.True(new RuleDefinition { Id = "d", Metric = "deliveryRate", Direction = "below", Threshold = 0.5 }.Fires(s));
    }
}
