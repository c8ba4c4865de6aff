using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>The account suppression list through the broker, PostgreSQL and the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class SuppressionListTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "900000000009";

    [Fact]
    public async Task Bounces_fill_the_list_operators_add_and_remove_and_pages_walk_it_without_gaps()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var op = monitor.Client();
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);

        const int bounced = 300;
        var attempts = Enumerable.Range(0, bounced).Select(i => SesJson.Attempt($"sup-{i:D3}", Account, T0.AddSeconds(i), $"gone{i:D3}@example.org"));
        var bounces = Enumerable.Range(0, bounced).Select(i => Bounce($"sup-{i:D3}", Account, T0.AddSeconds(i), T0.AddSeconds(i + 5), $"gone{i:D3}@example.org"));
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await monitor.ProduceAsync(monitor.EventsTopic, bounces);

        // Walk every page: no duplicates, no gaps, in address order.
        var seen = await Poll.UntilAsync(async () =>
        {
            var all = new List<string>();
            string? token = null;
            do
            {
                var page = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions?pageSize=37{(token is null ? "" : "&nextToken=" + token)}");
                all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()!));
                token = page.GetProperty("nextToken").GetString();
            } while (token is not null);
            return all;
        }, all => all.Count == bounced, TimeSpan.FromSeconds(60), "the whole suppression list");
        Assert.Equal(Enumerable.Range(0, bounced).Select(i => $"gone{i:D3}@example.org"), seen);
        var one = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions/gone007@example.org");
        Assert.Equal(("BOUNCE", "sup-007"), (one.GetProperty("reason").GetString(), one.GetProperty("messageId").GetString()));

        // An operator adds one by hand and removes another, with a reason; a viewer may not.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/v1/accounts/{Account}/suppressions/x@example.org", new { })).StatusCode);
        var put = await op.PutAsJsonAsync($"/v1/accounts/{Account}/suppressions/Legal@Example.org", new { reason = "asked to be forgotten" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("MANUAL", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await op.DeleteAsync($"/v1/accounts/{Account}/suppressions/gone001@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/v1/accounts/{Account}/suppressions/gone001@example.org?reason=mailbox%20restored")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/v1/accounts/{Account}/suppressions/gone001@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PutAsJsonAsync($"/v1/accounts/{Account}/suppressions/not-an-address", new { })).StatusCode);

        var manual = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions?reason=MANUAL");
        Assert.Equal(["legal@example.org"], manual.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()!).ToArray());
    }
}
