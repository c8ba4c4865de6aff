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
    public async Task Bad_configuration_stops_the_service_at_start_up_naming_the_key(string key, string value)
    {
        await using var app = MonitorApp.Build([], new Dictionary<string, string?>
        {
            [key] = value,
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Api:Url"] = key == "Api:Url" ? value : "http://127.0.0.1:0",
        });
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
        });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.True(e is OptionsValidationException or InvalidOperationException, e.GetType().Name);
        Assert.Contains("Runtime", e.Message);
    }
}
