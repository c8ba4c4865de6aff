using Microsoft.Extensions.Options;
using ReputationMonitor.Hosting;

namespace ReputationMonitor.Tests.Integration;

public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("Reputation:Thresholds:BouncePause", "2")]
    [InlineData("Reputation:Thresholds:ComplaintReview", "0.9")]
    [InlineData("Reputation:Window:BucketSize", "00:07:00")]
    [InlineData("Kafka:ApplicationId", "has spaces")]
    [InlineData("Kafka:PartitionThreads", "3")]
    [InlineData("Api:Url", "not a url")]
    [InlineData("Api:MetricsUrl", "metrics-without-a-port")]
    [InlineData("Postgres:ConnectionString", "")]
    [InlineData("Reputation:Time:MaxFutureSkew", "2.00:00:00")]
    [InlineData("Reputation:Time:MaxFutureSkew", "-00:01:00")]
    [InlineData("Reputation:EntitySnapshotInterval", "02:00:00")]
    [InlineData("Api:CommandSigningKey", "too-short-for-an-hmac-key")]
    [InlineData("Api:CommandSigningKey", "")] // required with an external Kafka
    [InlineData("MONITOR_API_KEY_OPERATOR", "short-key")]
    [InlineData("MONITOR_API_KEY_VIEWER", "0123456789abcde")]
    public async Task Bad_configuration_stops_the_service_at_start_up_naming_the_key(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Api:Url"] = "http://127.0.0.1:0",
            ["Api:CommandSigningKey"] = Support.MonitorInstance.CommandSigningKey,
        };
        settings[key] = value;
        await using var app = MonitorApp.Build([], settings);
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        var lastSegment = key.Split(':')[^1];
        Assert.Contains(lastSegment, e.Message);
    }

    [Theory]
    [InlineData("Turbo")] // not a runtime: the binder refuses it
    [InlineData("7")] // a number the enum does not define: validation refuses it
    public async Task An_unknown_runtime_stops_the_service_at_start_up_naming_the_key(string value)
    {
        await using var app = MonitorApp.Build([], new Dictionary<string, string?>
        {
            ["Kafka:Runtime"] = value,
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Api:Url"] = "http://127.0.0.1:0",
            ["Api:CommandSigningKey"] = Support.MonitorInstance.CommandSigningKey,
        });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.True(e is OptionsValidationException or InvalidOperationException, e.GetType().Name);
        Assert.Contains("Runtime", e.Message);
    }
}
