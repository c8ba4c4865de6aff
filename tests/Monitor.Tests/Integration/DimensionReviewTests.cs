using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Reviews of configuration sets and tenants, worked through the API like an account's.</summary>
[Collection(BesideCollection.Name)]
public sealed class DimensionReviewTests(KafkaFixture kafka, PostgresFixture postgres)
{
    /// <summary>A configuration set's and a tenant's reviews are worked like an account's: extended and resolved through the
    /// API, the stream applying the command to that entity's own status; a paused tenant is resumed by its own route.</summary>
    [Fact]
    public async Task A_configuration_set_review_is_extended_and_resolved_and_a_tenant_paused_and_resumed()
    {
        const string account = "600000000016";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var op = monitor.Client();
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var (id, to, at) = ($"dim-{i:D4}", $"r{i}@gmail.com", T0.AddSeconds(i));
            attempts.Add(AttemptFrom(id, account, at, [to], tenant: "newsletters"));
            events.Add(i < 60 ? Bounce(id, account, at, at.AddSeconds(30), to) : Delivery(id, account, at, at.AddSeconds(30), to));
        }
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await Poll.UntilAsync(async () => (await viewer.GetOrNullAsync($"/v1/accounts/{account}"))?.GetProperty("totals").GetProperty("sent").GetInt64(),
            sent => sent == 1000, TimeSpan.FromSeconds(60), "the sends to be counted");
        await monitor.ProduceAsync(monitor.EventsTopic, events);
        var open = (await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>("/v1/reviews/due"),
            p => p.GetProperty("items").GetArrayLength() == 3, TimeSpan.FromSeconds(60), "the account's, configuration set's and tenant's reviews"))
            .GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("scope").GetString()!);
        var configSet = open["configuration-set"];
        var configSetId = configSet.GetProperty("id").GetString();
        Assert.Equal($"{account}/marketing", configSet.GetProperty("entity").GetString());

        var extend = await op.PostAsJsonAsync($"/v1/reviews/{configSetId}/extend", new { hours = 12, reason = "the set's sender is cleaning its list" });
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        Assert.Equal("review-extended", (await extend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
        Assert.Equal(configSet.GetProperty("deadline").GetDateTimeOffset().AddHours(12),
            (await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{configSetId}")).GetProperty("deadline").GetDateTimeOffset());

        var resolve = await op.PostAsJsonAsync($"/v1/reviews/{configSetId}/resolve", new { outcome = "healthy", reason = "list removed" });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        Assert.Equal("healthy", (await resolve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("resolved", (await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{configSetId}")).GetProperty("status").GetString());

        var tenantId = open["tenant"].GetProperty("id").GetString();
        var pause = await op.PostAsJsonAsync($"/v1/reviews/{tenantId}/resolve", new { outcome = "paused", reason = "this tenant mails a bought list" });
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        var viaTenant = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}/sending-status?tenant=newsletters");
        Assert.False(viaTenant.GetProperty("sendingEnabled").GetBoolean());
        // Resumed on its own; then there is nothing to resume.
        var resume = await op.PostAsJsonAsync($"/v1/tenants/{account}/newsletters/resume", new { reason = "the tenant's list was replaced" });
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{account}/sending-status?tenant=newsletters"))
            .GetProperty("sendingEnabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"/v1/tenants/{account}/newsletters/resume", new { reason = "again" })).StatusCode);

        // The account's own review is untouched; the set's and tenant's decisions name the operator.
        Assert.Equal("open", (await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{open["account"].GetProperty("id").GetString()}")).GetProperty("status").GetString());
        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        var decisions = (await db.QueryAsync<(string Scope, string Rule, string Actor)>(
            "SELECT scope, rule, actor FROM decisions WHERE actor <> 'rule' AND entity_id LIKE @Prefix ORDER BY at, sequence", new { Prefix = account + "/%" })).ToList();
        Assert.Equal([("configuration-set", "review-extended", "env-operator"), ("configuration-set", "operator-resolve", "env-operator"),
            ("tenant", "operator-resolve", "env-operator"), ("tenant", "operator-resume", "env-operator")], decisions);
    }
}
