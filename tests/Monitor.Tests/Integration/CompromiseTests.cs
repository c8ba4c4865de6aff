using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Compromised credentials: an account with a stable baseline suddenly sends 20× its volume from a new
/// caller IP and complaints jump → paused within one evaluation tick, the evidence naming the new caller.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CompromiseTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "700000000007";

    [Fact]
    public async Task Volume_spike_from_a_new_caller_ip_with_complaints_pauses_the_account()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var api = monitor.Client(MonitorInstance.ViewerKey);

        // 30 hours at 20 messages an hour from the platform's usual caller.
        var baseline = new List<string>();
        for (var h = 0; h < 30; h++)
        for (var i = 0; i < 20; i++)
        {
            var at = T0.AddHours(h).AddMinutes(i * 3);
            baseline.Add(AttemptFrom($"base-{h:D2}-{i:D2}", Account, at, [$"b{h}x{i}@gmail.com"], callerIdentity: "app", callerIp: "198.51.100.7"));
        }
        // Then 400 in half an hour from an identity/IP never seen before.
        var spikeStart = T0.AddHours(30);
        var spike = Enumerable.Range(0, 400).Select(i =>
            AttemptFrom($"spike-{i:D3}", Account, spikeStart.AddSeconds(i * 4), [$"s{i}@yahoo.com"], callerIdentity: "leaked", callerIp: "203.0.113.66")).ToList();
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, baseline.Concat(spike));
        await Poll.UntilAsync(() => Sent(api), s => s >= 400 + 20 * 23, TimeSpan.FromSeconds(60), "the sends to be counted");
        Assert.Equal("healthy", await Status(api));        // volume alone is not enough

        // Complaints jump (1 % of the spike).
        var complaints = Enumerable.Range(0, 4).Select(i =>
            Complaint($"spike-{i:D3}", Account, spikeStart.AddSeconds(i * 4), spikeStart.AddMinutes(35), $"s{i}@yahoo.com")).ToList();
        await monitor.ProduceAsync(monitor.EventsTopic, complaints);

        await Poll.UntilAsync(() => Status(api), s => s == "paused", TimeSpan.FromSeconds(30), "the pause");
        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        var (rule, evidence) = await db.QuerySingleAsync<(string, string)>(
            "SELECT rule, evidence::text FROM decisions WHERE entity_id = @Account AND to_status = 'paused'", new { Account });
        Assert.Equal("compromise-suspected", rule);
        var e = JsonDocument.Parse(evidence).RootElement;
        Assert.Equal(["leaked@203.0.113.66"], e.GetProperty("newCallers").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.False((await api.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());
    }

    private static async Task<long> Sent(HttpClient api) =>
        await api.GetAsync($"/v1/accounts/{Account}") is { StatusCode: HttpStatusCode.OK } r
            ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").GetProperty("sent").GetInt64() : 0;

    private static async Task<string?> Status(HttpClient api) =>
        await api.GetAsync($"/v1/accounts/{Account}") is { StatusCode: HttpStatusCode.OK } r
            ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() : null;
}
