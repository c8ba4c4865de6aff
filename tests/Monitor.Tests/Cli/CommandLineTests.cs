using System.Text.Json;
using Confluent.Kafka;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Cli;

[Collection(IntegrationCollection.Name)]
public sealed class CommandLineTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Dev_broker_runs_in_its_own_process_and_replay_produces_every_line_of_a_file()
    {
        var dir = Directory.CreateTempSubdirectory("monitor-cli-");
        var (brokerProcess, address) = await MonitorProcess.StartDevBrokerAsync();
        using var broker = brokerProcess;
        // The address file can be there before the process's output has been read: the banner is polled for, not raced.
        await Poll.UntilAsync(() => Task.FromResult(broker.Stdout), o => o.Contains(address), TimeSpan.FromSeconds(10), "the dev broker's banner naming its address");

        var file = Path.Combine(dir.FullName, "events.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 50).Select(i => $"{{\"n\":{i}}}").Append(""));
        using (var replay = new MonitorProcess($"replay --bootstrap-servers {address} --topic cli.events --file \"{file}\""))
        {
            Assert.Equal(0, await replay.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("replayed 50 records to cli.events", replay.Stdout);
        }

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = address, GroupId = "cli-test", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("cli.events");
        var seen = new HashSet<int>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 50 && DateTime.UtcNow < until)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } r)
                seen.Add(JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("n").GetInt32());
        consumer.Close();
        Assert.Equal(Enumerable.Range(0, 50).ToHashSet(), seen);
    }

    [Fact]
    public async Task Replay_without_a_broker_says_what_is_missing()
    {
        using var replay = new MonitorProcess("replay --topic x --file /nonexistent.jsonl --bootstrap-servers 127.0.0.1:1");
        Assert.Equal(2, await replay.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--file", replay.Stderr);
    }

    [Fact]
    public async Task Classify_prints_one_json_line_per_response()
    {
        var input = "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp\n" +
                    "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list\n" +
                    "complete nonsense\n";
        using var classify = new MonitorProcess("classify", stdin: input);
        Assert.Equal(0, await classify.WaitAsync(TimeSpan.FromSeconds(30)));
        var lines = classify.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(("throttled", "gmail"), (lines[0].GetProperty("class").GetString(), lines[0].GetProperty("provider").GetString()));
        Assert.Equal(("blocklisted", "yahoo"), (lines[1].GetProperty("class").GetString(), lines[1].GetProperty("provider").GetString()));
        Assert.Equal("unknown", lines[2].GetProperty("class").GetString());
    }

    [Fact]
    public async Task Migrate_creates_the_schema_and_is_idempotent()
    {
        var db = await postgres.CreateDatabaseAsync();
        for (var i = 0; i < 2; i++)
        {
            using var migrate = new MonitorProcess($"migrate --connection-string \"{db}\"");
            Assert.Equal(0, await migrate.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        await using var conn = new NpgsqlConnection(db);
        var tables = (await conn.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).ToHashSet();
        Assert.Superset(new HashSet<string> { "decisions", "entity_status", "review_cases", "account_stats", "message_events", "failed_attempts" }, tables);
    }
}
