using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Projections never wedge: a record PostgreSQL refuses for good (here a trace whose message id holds NUL, which a text
/// column cannot store) is isolated to projection_failures and the DLQ, and the records after it are written; and the stream's truth
/// wins over an open review the database still holds from another universe.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProjectionIsolationTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_record_the_database_refuses_is_isolated_and_the_records_after_it_are_written()
    {
        const string account = "991000000001";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var poisoned = Attempt("pi-\u0000-nul", account, T0, "a@gmail.com");
        await monitor.ProduceAsync(monitor.SendAttemptsTopic,
            [poisoned, .. Enumerable.Range(0, 20).Select(i => Attempt($"pi-{i}", account, T0.AddSeconds(i + 1), $"u{i}@gmail.com"))]);

        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        await Poll.UntilAsync(() => db.ExecuteScalarAsync<long>("SELECT count(*) FROM message_events WHERE account_id = @account", new { account }),
            n => n == 20, TimeSpan.FromSeconds(60), "the traces after the refused one");
        var failure = await Poll.UntilAsync(
            () => db.QueryFirstOrDefaultAsync<(string Kind, string Topic, string Reason, string SqlState)>(
                "SELECT kind, source_topic, reason, sql_state FROM projection_failures WHERE kind = 'trace'"),
            f => f.Kind is not null, TimeSpan.FromSeconds(30), "the isolated record");
        Assert.Equal(("trace", monitor.SendAttemptsTopic), (failure.Kind, failure.Topic));
        Assert.StartsWith("22", failure.SqlState);
        var dead = Assert.Single(monitor.ReadTopic(monitor.DlqTopic, r => r.Any(FromAttempts), TimeSpan.FromSeconds(30)), FromAttempts);
        Assert.StartsWith("projection_failed: 22", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("reason")));
        Assert.Equal(poisoned, Encoding.UTF8.GetString(dead.Message.Value));
        Assert.True(monitor.Service<ReputationMonitor.Observability.StreamStatus>().IsRunning);

        bool FromAttempts(ConsumeResult<string?, byte[]> r) =>
            Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("source-topic")) == monitor.SendAttemptsTopic;
    }

    [Fact]
    public async Task A_review_the_stream_opens_supersedes_an_open_review_row_the_database_still_holds()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        const string account = "991000000002";
        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        var stale = Guid.NewGuid();
        await db.ExecuteAsync("""
            INSERT INTO review_cases (id, scope, entity_id, status, rule, opened_at, deadline, evidence)
            VALUES (@stale, 'account', @account, 'open', 'bounce-rate-review', now() - interval '1 day', now() + interval '2 days', '{}')
            """, new { stale, account });

        await monitor.ProduceAsync(monitor.SendAttemptsTopic, OperatorScenario.Attempts(account));
        // Feedback after the sends are counted, as in life: bounces judged against part of the sends can pause the account
        // at once (24 of 200 is over the pause threshold), and a pause opens no review.
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() >= OperatorScenario.Sends, TimeSpan.FromSeconds(60), "the sends to be counted");
        await monitor.ProduceAsync(monitor.EventsTopic, OperatorScenario.Events(account));

        // The decisions projected so far (scope, entity, status) ride along so a timeout tells a slow stream from a review
        // that never came.
        var (rows, _) = await Poll.UntilAsync(
            async () => ((await db.QueryAsync<(Guid Id, string Status)>("SELECT id, status FROM review_cases WHERE entity_id = @account", new { account })).ToList(),
                string.Join(", ", await db.QueryAsync<string>("SELECT scope || ' ' || entity_id || ' ' || to_status FROM decisions ORDER BY at"))),
            r => r.Item1.Count == 2, TimeSpan.FromSeconds(120), "the stream's review (review rows, decisions projected)");
        Assert.Equal("superseded", rows.Single(r => r.Id == stale).Status);
        Assert.Equal("open", rows.Single(r => r.Id != stale).Status);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM projection_failures"));
    }

    [Fact]
    public async Task A_make_run_on_the_embedded_broker_does_not_show_an_earlier_run_s_projections()
    {
        var db = await postgres.CreateDatabaseAsync();
        ReputationMonitor.Persistence.DatabaseMigrator.Migrate(db, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using (var conn = new NpgsqlConnection(db))
        {
            await conn.ExecuteAsync("""
                INSERT INTO review_cases (id, scope, entity_id, status, rule, opened_at, deadline, evidence)
                VALUES (gen_random_uuid(), 'account', '991000000003', 'open', 'bounce-rate-review', now(), now() + interval '3 days', '{}');
                INSERT INTO entity_status (scope, entity_id, status, status_seq, rule, reason, since, decision_id)
                VALUES ('account', '991000000003', 'under_review', 1, 'bounce-rate-review', 'earlier run', now(), gen_random_uuid());
                INSERT INTO audit_log (actor, action, scope, entity_id) VALUES ('alice', 'pause', 'account', '991000000003');
                """);
        }
        // Without the setting (a deployment that lost its Kafka configuration), nothing is cleared.
        await using (var unset = await MonitorInstance.StartAsync(kafka, postgres, new() { ["Kafka:BootstrapServers"] = "", ["Postgres:ConnectionString"] = db }))
            Assert.Equal(0, unset.Service<ReputationMonitor.Persistence.DatabaseMigrationService>().ClearedRows);
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new()
        {
            ["Kafka:BootstrapServers"] = "", ["Postgres:ConnectionString"] = db, // no Kafka configured: the embedded broker
            ["Postgres:ClearProjectionsWithEmbeddedBroker"] = "true", // as make run sets it
        });
        Assert.Equal(2, monitor.Service<ReputationMonitor.Persistence.DatabaseMigrationService>().ClearedRows); // the review and the status
        await using var after = new NpgsqlConnection(db);
        Assert.Equal(0, await after.ExecuteScalarAsync<long>("SELECT count(*) FROM review_cases") + await after.ExecuteScalarAsync<long>("SELECT count(*) FROM entity_status"));
        Assert.Equal(1, await after.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log"));
        Assert.DoesNotContain("991000000003", await monitor.Client(MonitorInstance.ViewerKey).GetStringAsync("/v1/reviews?status=open"));
    }

    [Fact]
    public async Task Records_no_projection_can_read_are_isolated_and_the_records_after_them_are_written()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var forged = JsonSerializer.Serialize(new ReputationMonitor.Core.Rules.Decision
        {
            Scope = "account", Entity = "991000000004", From = "healthy", To = "paused", Rule = "forged", Pillar = "response",
            DecisionId = "not-a-guid", At = DateTimeOffset.UtcNow,
            Evidence = new()
            {
                Window = new(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 0), Counts = [], Rates = [],
                Threshold = new("operator", 0, 0, 0),
            },
        }, ReputationMonitor.Core.CoreJsonContext.Default.Decision);
        await monitor.ProduceAsync(monitor.ActionsTopic, [forged, "{not json"]);
        var signature = new ReputationMonitor.Core.Rules.CommandSignature(MonitorInstance.CommandSigningKey);
        await monitor.ProduceRawAsync(monitor.Prefix + ".reputation.commands", JsonSerializer.SerializeToUtf8Bytes(signature.Sign(new()
        {
            CommandId = "pi-pause", Type = "pause", Scope = "account", Entity = "991000000005", Actor = "test", Reason = "after the forged ones",
            At = DateTimeOffset.UtcNow,
        }), ReputationMonitor.Core.CoreJsonContext.Default.OperatorCommand));

        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        await Poll.UntilAsync(() => db.ExecuteScalarAsync<string?>("SELECT status FROM entity_status WHERE entity_id = '991000000005'"),
            s => s == "paused", TimeSpan.FromSeconds(60), "the decision after the unreadable ones");
        // The forged records and the decision may sit on different partitions: each is taken in its own time.
        var failures = await Poll.UntilAsync(async () => (await db.QueryAsync<(string Kind, string Topic, string Reason)>(
                "SELECT kind, source_topic, reason FROM projection_failures")).ToList(),
            f => f.Count >= 2, TimeSpan.FromSeconds(30), "both unreadable records isolated");
        Assert.Equal([("projection", monitor.ActionsTopic), ("projection", monitor.ActionsTopic)], failures.Select(f => (f.Kind, f.Topic)));
        Assert.Equal(["FormatException", "JsonException"], failures.Select(f => f.Reason.Split(':')[1].Trim()).Order(StringComparer.Ordinal));
        Assert.Null(await db.ExecuteScalarAsync<string?>("SELECT status FROM entity_status WHERE entity_id = '991000000004'"));
        Assert.Equal(2, monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= 2, TimeSpan.FromSeconds(30)).Count);
    }
}
