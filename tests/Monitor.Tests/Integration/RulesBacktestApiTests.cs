using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Backtesting;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary><c>POST /v1/rules/backtest</c> over the traces the monitor stored from the broker: the known archive's diff.</summary>
[Collection(BesideCollection.Name)]
public sealed class RulesBacktestApiTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_candidate_is_replayed_over_the_stored_traces_and_bad_requests_name_their_field()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var lines = KnownArchive.Lines().ToList();
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, lines.Where(l => l.Contains("\"attemptId\"", StringComparison.Ordinal)));
        await monitor.ProduceAsync(monitor.EventsTopic, lines.Where(l => !l.Contains("\"attemptId\"", StringComparison.Ordinal)));
        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        await Poll.UntilAsync(() => db.ExecuteScalarAsync<long>("SELECT count(*) FROM message_events"), n => n == 1600,
            TimeSpan.FromSeconds(90), "every record's trace");

        using var op = monitor.Client();
        op.Timeout = TimeSpan.FromMinutes(2); // the replay runs as a child process: a loaded machine starts one slowly
        var range = new { from = T0.AddHours(-1), to = T0.AddHours(1) };
        var response = await op.PostAsJsonAsync("/v1/rules/backtest",
            new { rules = JsonDocument.Parse(KnownArchive.CandidateRules).RootElement, range.from, range.to });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1600, result.GetProperty("archive").GetProperty("replayed").GetInt64());
        var accounts = result.GetProperty("differences").EnumerateArray().Where(d => d.GetProperty("scope").GetString() == "account")
            .Select(d => (d.GetProperty("entity").GetString(), d.GetProperty("status").GetString(), d.GetProperty("change").GetString())).ToList();
        Assert.Equal([(KnownArchive.Steady, "under_review", "only-candidate"), (KnownArchive.Rising, "under_review", "earlier"),
            (KnownArchive.Rising, "paused", "earlier")], accounts);
        Assert.Equal(2, result.GetProperty("inForce").GetProperty("paused").GetInt32());

        // What the stream itself decided is untouched: the rising account is paused by the rules in force only.
        Assert.Equal("paused", (await op.GetFromJsonAsync<JsonElement>($"/v1/accounts/{KnownArchive.Rising}")).GetProperty("status").GetString());
        Assert.Equal("healthy", (await op.GetFromJsonAsync<JsonElement>($"/v1/accounts/{KnownArchive.Steady}")).GetProperty("status").GetString());

        await Refused(new { range.from, range.to }, "rules");
        await Refused(new { rules = JsonDocument.Parse("""{"Thresholds": {"BounceReveiw": 0.03}}""").RootElement, range.from, range.to }, "rules");
        await Refused(new { rules = JsonDocument.Parse("{}").RootElement, range.from, to = range.from.AddDays(40) }, "to");
        await Refused(new { rules = JsonDocument.Parse("{}").RootElement, range.to }, "from");
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/v1/rules/backtest", new { rules = new { }, range.from, range.to })).StatusCode);

        async Task Refused(object body, string field)
        {
            var r = await op.PostAsJsonAsync("/v1/rules/backtest", body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.True((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }
}
