using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// PostgreSQL goes away for 30 s while feedback flows (a TCP proxy between the service and the real server is cut:
/// connections reset, new ones refused). The stream keeps consuming — its state lives in Kafka — while the
/// projection workers retry and commit nothing; /readyz is red; when the database returns every decision is
/// written, none twice.
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed class PostgresOutageTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "950000000015";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Nothing_is_lost_while_the_database_is_down_for_30_seconds()
    {
        var db = await postgres.CreateDatabaseAsync();
        var real = new NpgsqlConnectionStringBuilder(db);
        await using var proxy = new TcpProxy(real.Host == "localhost" ? "127.0.0.1" : real.Host!, real.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(db) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new() { ["Postgres:ConnectionString"] = viaProxy });
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        using var anonymous = monitor.Client(null);

        await monitor.ProduceAsync(monitor.SendAttemptsTopic, Attempts(Account));
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == Sends + 3, TimeSpan.FromSeconds(60), "the sends");

        // The database goes away; the feedback that opens three reviews arrives during the outage.
        var cut = Stopwatch.StartNew();
        proxy.Cut();
        await monitor.ProduceAsync(monitor.EventsTopic, Events(Account));
        await Poll.UntilAsync(async () => (await anonymous.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "/readyz to turn red");
        // Reads that need the database say so: 503, Retry-After, ProblemDetails — not a 500.
        using (var read = await viewer.GetAsync($"/v1/accounts/{Account}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(read.Headers.RetryAfter);
        }
        var projections = monitor.Service<ProjectionWorker>();
        await Poll.UntilAsync(() => Task.FromResult(projections.Failing), f => f, TimeSpan.FromSeconds(30), "the projection to fail and retry");
        var status = monitor.Service<StreamStatus>();
        var running = status.TimesRunning;

        // The stream keeps consuming (its state is in Kafka): the decisions are on the actions topic during the outage.
        var actions = monitor.ReadTopic(monitor.ActionsTopic, r => r.Count(IsReview) >= 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, actions.Count(IsReview));
        Assert.True(status.IsRunning);
        // The outage lasts its 30 s; all along, the stream stays RUNNING and /readyz stays red.
        await Poll.UntilAsync(async () => (cut.Elapsed, status.IsRunning, (await anonymous.GetAsync("/readyz")).StatusCode),
            x => !x.IsRunning || x.StatusCode == HttpStatusCode.OK || x.Elapsed >= Outage, Outage + TimeSpan.FromSeconds(10), "the end of the outage");
        Assert.True(status.IsRunning);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/readyz")).StatusCode);
        proxy.Restore();

        await Poll.UntilAsync(async () => (await anonymous.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/readyz to turn green again");
        var reviews = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>("/v1/reviews?status=open"),
            p => p.GetProperty("items").GetArrayLength() == 3, TimeSpan.FromSeconds(60), "the reviews decided during the outage");
        Assert.Equal(["account", "configuration-set", "tenant"],
            reviews.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("scope").GetString()!).Order().ToArray());
        var account = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}"),
            a => a.GetProperty("totals").GetProperty("delivered").GetInt64() == Sends - Bounces, TimeSpan.FromSeconds(60), "the final counts");
        Assert.Equal(Bounces, account.GetProperty("totals").GetProperty("hardBounces").GetInt64());
        Assert.Equal("under_review", account.GetProperty("status").GetString());

        await using var conn = new NpgsqlConnection(db);
        Assert.Equal(3, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM decisions WHERE to_status = 'under_review'"));
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM (SELECT scope, entity_id, from_status, to_status, rule FROM decisions GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) d"));
        Assert.Equal(Sends + 3, await conn.ExecuteScalarAsync<long>("SELECT count(DISTINCT message_id) FROM message_events"));
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM failed_attempts")); // the refused request
        Assert.Equal(running, status.TimesRunning); // the stream never stopped
    }

    private static bool IsReview(Confluent.Kafka.ConsumeResult<string?, byte[]> r) =>
        JsonDocument.Parse(r.Message.Value).RootElement is var d && d.GetProperty("kind").GetString() == "transition" &&
        d.GetProperty("to").GetString() == "under_review";
}
