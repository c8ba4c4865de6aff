using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task Each_key_has_its_own_budget_and_an_exhausted_one_gets_429_with_retry_after()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new Dictionary<string, string?> { ["Api:PermitsPerMinute"] = "5" });
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        using var op = monitor.Client();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) codes.Add((await viewer.GetAsync("/v1/system")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), codes);

        var limited = await viewer.GetAsync("/v1/system");
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/v1/system")).StatusCode);       // another key, another budget
        using var anonymous = monitor.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);   // anonymous paths: a budget of their own
    }
}
