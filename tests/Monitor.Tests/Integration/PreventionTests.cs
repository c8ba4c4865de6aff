using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Prevention findings through the broker, PostgreSQL and the API.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PreventionTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "800000000008";

    [Fact]
    public async Task Refused_requests_and_sends_by_a_paused_account_are_reported()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var op = monitor.Client();

        var pause = await op.PostAsJsonAsync($"/v1/accounts/{Account}/pause", new { reason = "abuse report from a mailbox provider" });
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.False((await op.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());

        // The gateway ignores sending-status, and a caller hammers an unverified identity.
        var attempts = Enumerable.Range(0, 10).Select(i => SesJson.Attempt($"prev-{i}", Account, T0.AddSeconds(i), $"p{i}@gmail.com"))
            .Concat(Enumerable.Range(0, 25).Select(i => RejectedAttempt($"rej-{i}", Account, T0.AddSeconds(i), "MessageRejected", $"q{i}@yahoo.com")));
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);

        var findings = await Poll.UntilAsync(() => op.GetFromJsonAsync<JsonElement>($"/v1/findings?entity={Account}&pillar=prevention"),
            f => f.GetProperty("items").GetArrayLength() >= 2, TimeSpan.FromSeconds(60), "the prevention findings");
        var rules = findings.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).OrderBy(r => r).ToList();
        Assert.Equal(["failed-attempts:MessageRejected", "paused-account-sending"], rules);
        Assert.Equal("paused", findings.GetProperty("items")[0].GetProperty("status").GetString());

        // The refused requests themselves (no message id, so no trace): newest first, paged, filterable by code.
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = (await Poll.UntilAsync(() => viewer.GetOrNullAsync(
                    $"/v1/accounts/{Account}/attempts?outcome=rejected&code=MessageRejected&pageSize=10{(token is null ? "" : "&nextToken=" + token)}"),
                p => p is { } v && (token is not null || v.GetProperty("items").GetArrayLength() == 10), TimeSpan.FromSeconds(30), "the refused attempts"))!.Value;
            all.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("nextToken").GetString();
        } while (token is not null);
        Assert.Equal(25, all.Select(a => a.GetProperty("attemptId").GetString()).Distinct().Count());
        Assert.All(all, a => Assert.Contains("not verified", a.GetProperty("message").GetString()));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await viewer.GetAsync($"/v1/accounts/{Account}/attempts?outcome=accepted")).StatusCode);

        // The pause is in the audit log, readable by operators only.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await viewer.GetAsync($"/v1/audit?entity={Account}")).StatusCode);
        var audit = await op.GetFromJsonAsync<JsonElement>($"/v1/audit?entity={Account}");
        var entry = audit.GetProperty("items")[0];
        Assert.Equal(("pause", "env-operator", "abuse report from a mailbox provider"),
            (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString(), entry.GetProperty("reason").GetString()));
    }
}
