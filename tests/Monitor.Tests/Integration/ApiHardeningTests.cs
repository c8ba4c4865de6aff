using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Tests.Integration;

/// <summary>What the API tells and lets through to callers it does not know, and what it hands to spreadsheets.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiHardeningTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_stream_in_error_turns_healthz_red_and_anonymous_health_tells_nothing_more()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var anonymous = monitor.Client(key: null);
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal(["status"], ready.EnumerateObject().Select(p => p.Name));
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>("/readyz")).TryGetProperty("checks", out _));

        monitor.Service<StreamStatus>().Fail("consumer: fatal error forced by the test");
        var live = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
        Assert.DoesNotContain("forced", await live.Content.ReadAsStringAsync());
        var system = await viewer.GetFromJsonAsync<JsonElement>("/v1/system");
        Assert.Equal("ERROR", system.GetProperty("streamState").GetString());
        Assert.Equal("consumer: fatal error forced by the test", system.GetProperty("streamLastError").GetString());
    }

    [Fact]
    public async Task Paths_without_a_key_are_rate_limited_per_client_address()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new() { ["Api:AnonymousPermitsPerMinute"] = "300" });
        using var anonymous = monitor.Client(key: null);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 320 && !codes.Contains(HttpStatusCode.TooManyRequests); i++) codes.Add((await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        Assert.True(codes.Count <= 301, $"{codes.Count} requests before the limit");
        // A key has its own budget.
        Assert.Equal(HttpStatusCode.OK, (await monitor.Client(MonitorInstance.ViewerKey).GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var op = monitor.Client();
        const string account = "980000000001";
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/v1/accounts/{account}/suppressions/=cmd@example.org",
            new { reason = "@SUM(1+1)*cmd|' /C calc'!A0" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/v1/accounts/{account}/suppressions/-x@example.org", new { reason = "+1" })).StatusCode);

        // One address normalisation with the stream: "<Name@Example.org>" is stored and found as the stream writes it.
        var bracketed = await op.PutAsJsonAsync($"/v1/accounts/{account}/suppressions/{Uri.EscapeDataString("<Bob@Example.ORG>")}", new { reason = "asked" });
        Assert.Equal("bob@example.org", (await bracketed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync($"/v1/accounts/{account}/suppressions/bob@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/v1/accounts/{account}/suppressions/{Uri.EscapeDataString("<BOB@example.org>")}?reason=test")).StatusCode);

        var csv = await op.GetStringAsync($"/v1/accounts/{account}/suppressions/export?format=csv");
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.TrimEnd('\r').Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows.SelectMany(r => r), cell => Assert.DoesNotMatch("^[=+\\-@\"]*[=+\\-@]", cell.TrimStart('"')));
        Assert.Contains(rows, r => r[0] == "'-x@example.org" && r[^1] == "'+1");

        // The export read back in changes no address: the apostrophe comes off again.
        var import = new StringContent(csv.TrimEnd() + "\r\nsentinel@example.org,MANUAL,,,,\r\n", System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Accepted, (await op.PostAsync($"/v1/accounts/{account}/suppressions/import", import)).StatusCode);
        var listed = await Poll.UntilAsync(() => op.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}/suppressions"),
            p => p.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("email").GetString() == "sentinel@example.org"),
            TimeSpan.FromSeconds(30), "the import");
        Assert.Equal(["-x@example.org", "=cmd@example.org", "sentinel@example.org"],
            listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()!).Order(StringComparer.Ordinal));
    }
}
