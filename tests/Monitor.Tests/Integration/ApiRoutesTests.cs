using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// WebApplicationFactory tests of every route's happy path over one account's day (real broker, real PostgreSQL),
/// and of the suppression list at a size that needs many pages.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiRoutesTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "920000000012";

    private async Task<MonitorApiFactory> StartAsync() =>
        await MonitorApiFactory.StartAsync(kafka.BootstrapServers, await postgres.CreateDatabaseAsync());

    private static void HasThresholdsAndWindow(JsonElement view, string what)
    {
        Assert.True(view.GetProperty("thresholds").GetProperty("bounceReview").GetDouble() > 0, $"{what} shows the thresholds");
        Assert.True(view.TryGetProperty("window", out var w) && w.ValueKind != JsonValueKind.Null, $"{what} shows the window");
    }

    [Fact]
    public async Task Every_route_answers_its_happy_path_over_an_accounts_day()
    {
        await using var factory = await StartAsync();
        using var viewer = factory.Client(MonitorInstance.ViewerKey);
        using var op = factory.Client(MonitorInstance.OperatorKey);
        using var admin = factory.Client(MonitorInstance.AdminKey);

        // Sends first, then their feedback (as in life): 6 % hard bounces opens reviews.
        await MonitorInstance.ProduceAsync(factory.BootstrapServers, factory.SendAttemptsTopic, Attempts(Account));
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == Sends + 3, TimeSpan.FromSeconds(60), "the sends");
        await MonitorInstance.ProduceAsync(factory.BootstrapServers, factory.EventsTopic, Events(Account));
        var reviews = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>("/v1/reviews?status=open"),
            p => p.GetProperty("items").GetArrayLength() == 3, TimeSpan.FromSeconds(60), "the open reviews (account, configuration set, tenant)");

        // Reads: every one that shows rates shows the window, the volume and the thresholds in force.
        var list = await viewer.GetFromJsonAsync<JsonElement>("/v1/accounts?status=under_review");
        var summary = list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("accountId").GetString() == Account);
        HasThresholdsAndWindow(summary, "the account list");
        Assert.Equal(Sends + 3, summary.GetProperty("sent").GetInt64());

        var account = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}"),
            a => a.GetProperty("totals").GetProperty("hardBounces").GetInt64() == Bounces, TimeSpan.FromSeconds(30), "the bounces");
        Assert.Equal("under_review", account.GetProperty("status").GetString());
        HasThresholdsAndWindow(account, "the account");
        Assert.Equal((double)Bounces / (Sends + 3), account.GetProperty("rates").GetProperty("bounce").GetDouble(), 6);
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());

        var byProvider = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/breakdown?by=provider");
        Assert.Equal("gmail", byProvider.GetProperty("rows")[0].GetProperty("key").GetString());
        Assert.Equal(0.05, byProvider.GetProperty("thresholds").GetProperty("bounceReview").GetDouble());
        Assert.NotEqual(JsonValueKind.Null, byProvider.GetProperty("period").ValueKind);
        var domain = (await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/breakdown?by=domain")).GetProperty("rows")[0].GetProperty("key").GetString();
        foreach (var path in new[]
                 {
                     $"/v1/domains/{domain}", $"/v1/ips/{Ip}", "/v1/providers/gmail", $"/v1/configuration-sets/{Account}/marketing",
                     $"/v1/tenants/{Account}/{Tenant}",
                 })
        {
            var view = await viewer.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(Sends + 3, view.GetProperty("totals").GetProperty("sent").GetInt64());
            Assert.Equal(0.05, view.GetProperty("thresholds").GetProperty("bounceReview").GetDouble());
        }
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/v1/findings?entity={Account}")).StatusCode);
        // Traces are written as they come: the attempt's can be there before the bounce's.
        Assert.Equal("bounced", (await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/messages/{BouncedMessage}"),
            m => m?.GetProperty("diagnosis").GetProperty("status").GetString() == "bounced",
            TimeSpan.FromSeconds(30), "the bounced message"))!.Value.GetProperty("diagnosis").GetProperty("status").GetString());
        Assert.Equal(1, (await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/attempts?outcome=rejected"),
            p => p.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the refused attempt")).GetProperty("items").GetArrayLength());
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>("/v1/system")).GetProperty("kafka").TryGetProperty("bootstrapServers", out _));
        Assert.Contains("reputation_events_consumed_total", await viewer.GetStringAsync("/metrics"));

        // The review: evidence, a note, an extension, then resolved healthy.
        var reviewId = reviews.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("scope").GetString() == "account").GetProperty("id").GetString();
        var review = await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}");
        Assert.Equal("bounce-rate-review", review.GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/v1/reviews/{reviewId}/notes", new { text = "old list imported" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/v1/reviews/{reviewId}/extend", new { hours = 24, reason = "cleaning the list" })).StatusCode);
        var resolved = await op.PostAsJsonAsync($"/v1/reviews/{reviewId}/resolve", new { outcome = "healthy", reason = "list cleaned, confirmed" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("healthy", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // One address by hand: put, get, delete with a reason.
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/v1/accounts/{Account}/suppressions/legal@example.org", new { reason = "asked to be forgotten" })).StatusCode);
        Assert.Equal("MANUAL", (await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions/legal@example.org")).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/v1/accounts/{Account}/suppressions/legal@example.org?reason=added%20by%20mistake")).StatusCode);

        // Pause and resume, seen by the sending gateway.
        var paused = await op.PostAsJsonAsync($"/v1/accounts/{Account}/pause", new { reason = "phishing reported by Gmail" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.False((await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsJsonAsync($"/v1/accounts/{Account}/resume", new { reason = "customer removed the campaign" })).StatusCode);

        // Every mutation is in the audit log with who and why.
        var audit = await op.GetFromJsonAsync<JsonElement>($"/v1/audit?entity={Account}");
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToHashSet();
        Assert.Superset(new HashSet<string> { "note", "extend", "resolve", "suppress", "unsuppress", "pause", "resume" }, actions);
        Assert.All(audit.GetProperty("items").EnumerateArray(), a => Assert.Equal("env-operator", a.GetProperty("actor").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task A_suppression_list_of_2600_imports_walks_in_pages_without_gaps_filters_by_date_and_exports()
    {
        await using var factory = await StartAsync();
        using var viewer = factory.Client(MonitorInstance.ViewerKey);
        using var op = factory.Client(MonitorInstance.OperatorKey);
        const int total = 2600;
        var expected = Enumerable.Range(0, total).Select(i => $"user{i:D5}@example.org").ToList();

        // Half as JSON lines (with reasons), half as CSV; one bad line in each is reported, the rest go in.
        var jsonl = string.Join('\n', expected.Take(total / 2).Select((e, i) => $$"""{"email": "{{e.ToUpperInvariant()}}", "reason": "{{(i % 2 == 0 ? "BOUNCE" : "COMPLAINT")}}"}""")) + "\n{\"email\": \"broken\"}\n";
        var imported = await op.PostAsync($"/v1/accounts/{Account}/suppressions/import?note=migrated%20from%20old%20platform",
            new StringContent(jsonl, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, imported.StatusCode);
        var result = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((total / 2, 1), (result.GetProperty("accepted").GetInt32(), result.GetProperty("rejected").GetInt32()));
        Assert.Equal(total / 2 + 1, result.GetProperty("errors")[0].GetProperty("line").GetInt32());

        var cutoff = DateTimeOffset.UtcNow;
        // Commands for one account are applied in order: once the last address is listed, the whole first half is.
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}/suppressions/{expected[total / 2 - 1]}"), e => e is not null,
            TimeSpan.FromSeconds(60), "the first import to be listed");
        var csv = "email,reason\n" + string.Join('\n', expected.Skip(total / 2)) + "\n\"unterminated,\n";
        var second = await op.PostAsync($"/v1/accounts/{Account}/suppressions/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(total / 2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        // Walk every page: no duplicates, no gaps, in address order.
        var seen = await Poll.UntilAsync(async () =>
        {
            var all = new List<string>();
            string? token = null;
            do
            {
                var page = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions?pageSize=97{(token is null ? "" : "&nextToken=" + token)}");
                all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("email").GetString()!));
                token = page.GetProperty("nextToken").GetString();
            } while (token is not null);
            return all;
        }, all => all.Count >= total, TimeSpan.FromSeconds(90), "the whole list");
        Assert.Equal(expected, seen);

        // Filters: by reason, and by when entries were added.
        var complaints = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/suppressions?reason=COMPLAINT&pageSize=1000");
        Assert.Equal(total / 4, complaints.GetProperty("items").GetArrayLength());
        var recent = await viewer.GetStringAsync($"/v1/accounts/{Account}/suppressions/export?format=jsonl&addedAfter={Uri.EscapeDataString(cutoff.ToString("O"))}");
        Assert.Equal(expected.Skip(total / 2), recent.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("email").GetString()!));

        // Export: the whole list as CSV, header first, with the reasons.
        using var export = await viewer.GetAsync($"/v1/accounts/{Account}/suppressions/export?format=csv");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("email,reason,addedAt,messageId,actor,note", lines[0]);
        Assert.Equal(total, lines.Length - 1);
        Assert.StartsWith("user00000@example.org,BOUNCE,", lines[1]);
        Assert.StartsWith("user00001@example.org,COMPLAINT,", lines[2]);
        Assert.StartsWith($"{expected[^1]},MANUAL,", lines[^1]);

        var audit = await op.GetFromJsonAsync<JsonElement>($"/v1/audit?entity={Account}");
        Assert.Equal(2, audit.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("action").GetString() == "suppressions.imported"));
    }
}
