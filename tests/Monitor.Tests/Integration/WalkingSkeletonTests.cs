using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The whole path through a real Kafka-protocol broker, real PostgreSQL and real HTTP: three accounts,
/// one of which must be paused; bad records land in the DLQ and processing goes on.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class WalkingSkeletonTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Bad = "100000000012";     // 12 % hard bounces over 600 recipients → paused
    private const string Good = "200000000001";    // 1 % → healthy
    private const string Small = "300000000030";   // 30 % over 40 recipients: below the minimum volume → healthy

    private static readonly string[] Domains = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "example.org"];

    [Fact]
    public async Task Accounts_are_paused_or_left_healthy_by_SES_thresholds_in_postgres_on_kafka_and_through_the_api()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);

        var attempts = new List<string>();
        var events = new List<string>();
        Scenario(Bad, recipients: 600, bounces: 72, attempts, events);
        Scenario(Good, recipients: 600, bounces: 6, attempts, events);
        Scenario(Small, recipients: 40, bounces: 12, attempts, events);

        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await monitor.ProduceRawAsync(monitor.EventsTopic, Encoding.UTF8.GetBytes("{\"eventType\": \"Bounce\", \"mail\": "));
        await monitor.ProduceRawAsync(monitor.EventsTopic, Encoding.UTF8.GetBytes("{\"eventType\":\"Teleport\",\"mail\":{}}"));
        await monitor.ProduceRawAsync(monitor.SendAttemptsTopic, Encoding.UTF8.GetBytes("{\"messageId\":\"x\",\"outcome\":\"accepted\",\"accountId\":\"1\",\"timestamp\":42}"));
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        using var api = monitor.Client();
        var bad = await Poll.UntilAsync(() => Account(api, Bad), a => a is { } v && Sent(v) == 600 && Count(v, "hardBounces") == 72,
            TimeSpan.FromSeconds(90), "the paused account's final statistics");
        var good = await Poll.UntilAsync(() => Account(api, Good), a => a is { } v && Sent(v) == 600 && Count(v, "hardBounces") == 6,
            TimeSpan.FromSeconds(30), "the healthy account's final statistics");
        var small = await Poll.UntilAsync(() => Account(api, Small), a => a is { } v && Sent(v) == 40 && Count(v, "hardBounces") == 12,
            TimeSpan.FromSeconds(30), "the small account's final statistics");

        // Through the API
        Assert.Equal("paused", bad!.Value.GetProperty("status").GetString());
        Assert.Equal(0.12, bad.Value.GetProperty("rates").GetProperty("bounce").GetDouble(), 6);
        Assert.Equal("healthy", good!.Value.GetProperty("status").GetString());
        Assert.Equal("healthy", small!.Value.GetProperty("status").GetString());
        var gmail = bad.Value.GetProperty("byProvider").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "gmail");
        Assert.Equal(120, gmail.GetProperty("sent").GetInt64());

        // In PostgreSQL
        await using (var db = new NpgsqlConnection(monitor.ConnectionString))
        {
            var statuses = (await db.QueryAsync<(string Entity, string Status)>(
                "SELECT entity_id, status FROM entity_status WHERE scope = 'account'")).ToDictionary(r => r.Entity, r => r.Status);
            Assert.Equal("paused", statuses[Bad]);
            Assert.False(statuses.ContainsKey(Good));
            Assert.False(statuses.ContainsKey(Small));
            var decided = (await db.QueryAsync<string>("SELECT DISTINCT entity_id FROM decisions WHERE scope = 'account'")).ToList();
            Assert.Equal([Bad], decided);
            // All its mail went through the "marketing" configuration set, which is paused with it.
            var configSets = (await db.QueryAsync<(string Entity, string Status)>(
                "SELECT entity_id, status FROM entity_status WHERE scope = 'configuration-set'")).ToList();
            Assert.Equal([($"{Bad}/marketing", "paused")], configSets);
        }

        // On reputation.actions
        var actions = monitor.ReadTopic(monitor.ActionsTopic,
            rs => rs.Any(r => r.Message.Key == $"account:{Bad}" && JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("to").GetString() == "paused"),
            TimeSpan.FromSeconds(30));
        Assert.All(actions, r => Assert.Contains(r.Message.Key, new[] { $"account:{Bad}", $"configuration-set:{Bad}/marketing" }));
        actions = actions.Where(r => r.Message.Key == $"account:{Bad}").ToList();
        var last = JsonDocument.Parse(actions[^1].Message.Value).RootElement;
        Assert.Equal("paused", last.GetProperty("to").GetString());
        Assert.Equal("bounce-rate-pause", last.GetProperty("rule").GetString());
        Assert.Equal(actions.Count, actions.Select(r => JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("decisionId").GetString()).Distinct().Count());

        // Bad records in the DLQ, with the reason and where they came from
        var dlq = monitor.ReadTopic(monitor.DlqTopic, rs => rs.Count >= 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, dlq.Count);
        var reasons = dlq.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("reason"))).OrderBy(r => r).ToList();
        Assert.StartsWith("invalid_json", reasons[0]);
        Assert.StartsWith("unknown_event_type", reasons[1]);
        Assert.StartsWith("wrong_field_type", reasons[2]);
        Assert.Contains(dlq, r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("source-topic")) == monitor.SendAttemptsTopic);
        Assert.Contains(dlq, r => Encoding.UTF8.GetString(r.Message.Value) == "{\"eventType\": \"Bounce\", \"mail\": ");
    }

    [Fact]
    public async Task Message_trace_diagnoses_a_bounce_and_the_api_enforces_keys()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        const string account = "400000000004";
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, [SesJson.Attempt("msg-b", account, T0, "gone@gmail.com")]);
        await monitor.ProduceAsync(monitor.EventsTopic, [SnsEnvelope(Bounce("msg-b", account, T0, T0.AddSeconds(2), "gone@gmail.com",
            diagnostic: "smtp; 550-5.1.1 The email account that you tried to reach does not exist. - gsmtp"))]);

        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var trace = await Poll.UntilAsync(async () =>
            {
                var r = await viewer.GetAsync("/v1/messages/msg-b");
                return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            }, t => t is { } v && v.GetProperty("events").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the message trace");
        Assert.Equal("bounced", trace!.Value.GetProperty("diagnosis").GetProperty("status").GetString());
        Assert.Equal("gone@gmail.com", trace.Value.GetProperty("attempt").GetProperty("recipients")[0].GetProperty("email").GetString());
        var recipient = trace.Value.GetProperty("events")[0].GetProperty("recipients")[0];
        Assert.Equal("invalid_recipient", recipient.GetProperty("class").GetString());
        Assert.Equal("gmail", recipient.GetProperty("provider").GetString());

        using var anonymous = monitor.Client(key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/accounts/" + account)).StatusCode);
        using var wrong = monitor.Client("not-a-key-of-this-service");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v1/accounts/" + account)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs")).StatusCode);
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/v1/accounts/{accountId}/pause", openApi);
        Assert.Contains("/v1/reviews/{id}/resolve", openApi);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/v1/messages/never-seen")).StatusCode);

        var bad = await viewer.GetAsync("/v1/accounts?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));

        var system = await viewer.GetFromJsonAsync<JsonElement>("/v1/system");
        Assert.Equal(monitor.BootstrapServers, system.GetProperty("kafka").GetProperty("bootstrapServers").GetString());
        // The instance was given the fixture's broker, so it did not start one of its own.
        Assert.False(system.GetProperty("kafka").GetProperty("embedded").GetBoolean());
        Assert.Equal("RUNNING", system.GetProperty("streamState").GetString());
    }

    private static void Scenario(string account, int recipients, int bounces, List<string> attempts, List<string> events)
    {
        for (var i = 0; i < recipients; i++)
        {
            var id = $"{account}-m{i:D4}";
            var to = $"user{i}@{Domains[i % Domains.Length]}";
            var sent = T0.AddSeconds(i);
            attempts.Add(SesJson.Attempt(id, account, sent, to));
            events.Add(i < bounces
                ? Bounce(id, account, sent, sent.AddSeconds(30), to)
                : Delivery(id, account, sent, sent.AddSeconds(30), to));
        }
    }

    private static async Task<JsonElement?> Account(HttpClient api, string id)
    {
        var r = await api.GetAsync($"/v1/accounts/{id}");
        return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    private static long Sent(JsonElement a) => Count(a, "sent");
    private static long Count(JsonElement a, string counter) => a.GetProperty("totals").GetProperty(counter).GetInt64();
}
