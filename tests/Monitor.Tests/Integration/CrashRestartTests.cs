using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The broker in its own process (<c>monitor dev-broker</c>), the service as a child process killed with SIGKILL in
/// the middle of the stream and started again: its state comes back from the changelog, the records after the last
/// commit are processed again, and the final counters and decisions are exactly those of an uninterrupted run.
/// The scenario is ~1 MB in all, well under the embedded broker's ~5 MB per partition.
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed class CrashRestartTests(PostgresFixture postgres)
{
    private const string Account = "960000000016";

    [Fact]
    public async Task After_a_kill_9_and_a_restart_the_counts_and_decisions_are_exactly_those_of_an_uninterrupted_run()
    {
        var (broker, bootstrap) = await MonitorProcess.StartDevBrokerAsync();
        using var brokerProcess = broker;
        var db = await postgres.CreateDatabaseAsync();
        var prefix = MonitorInstance.NewPrefix();
        var settings = MonitorInstance.Settings(prefix, bootstrap, db);

        var (first, client) = await MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey);
        // Sends first, counted, as in life (feedback racing ahead of its sends could open a pause instead of a review
        // in any run, crashed or not); then the feedback, and the kill in the middle of it.
        await MonitorInstance.ProduceAsync(bootstrap, $"{prefix}.email.send-attempts", Attempts(Account));
        await Poll.UntilAsync(() => client.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == Sends + 3, TimeSpan.FromSeconds(60), "the sends");
        var events = Events(Account);
        await MonitorInstance.ProduceAsync(bootstrap, $"{prefix}.email.events", events.Take(events.Count / 2));
        await Poll.UntilAsync(() => client.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("delivered").GetInt64() > 0, TimeSpan.FromSeconds(60), "some feedback processed");
        var seenBeforeKill = (await client.GetOrNullAsync($"/v1/accounts/{Account}"))?.GetProperty("totals").GetProperty("delivered").GetInt64();
        first.KillHard();
        first.Dispose();
        client.Dispose();
        await MonitorInstance.ProduceAsync(bootstrap, $"{prefix}.email.events", events.Skip(events.Count / 2)); // while it is down

        var (second, viewer) = await MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey);
        using var process = second;
        using var http = viewer;
        var account = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"),
            // Statistics and status come through different topics: wait for both.
            a => a?.GetProperty("totals").GetProperty("delivered").GetInt64() == Sends - Bounces && a.Value.GetProperty("status").GetString() != "healthy",
            TimeSpan.FromSeconds(90), "the final counts and status");
        var totals = account!.Value.GetProperty("totals");
        Assert.Equal((Sends + 3, Bounces, 1, Rejected), (totals.GetProperty("sent").GetInt64(), totals.GetProperty("hardBounces").GetInt64(),
            totals.GetProperty("suppressed").GetInt64(), (int)totals.GetProperty("rejected").GetInt64()));
        Assert.Equal("under_review", account.Value.GetProperty("status").GetString());

        // Decisions: the three reviews, once each — the same as without the crash.
        var reviews = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>("/v1/reviews?status=open"),
            p => p.GetProperty("items").GetArrayLength() >= 3, TimeSpan.FromSeconds(60), "the reviews");
        Assert.Equal(3, reviews.GetProperty("items").GetArrayLength());
        await using var conn = new NpgsqlConnection(db);
        Assert.Equal(3, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM decisions"));
        Assert.Equal(Sends + 3, await conn.ExecuteScalarAsync<long>("SELECT count(DISTINCT message_id) FROM message_events"));
        Assert.True(seenBeforeKill < Sends - Bounces, $"the kill came mid-stream (delivered before it: {seenBeforeKill})");
    }
}
