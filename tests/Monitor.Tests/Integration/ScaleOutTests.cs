using System.Diagnostics;
using ReputationMonitor.Configuration;
using ReputationMonitor.Tests.Support;
using Xunit.Abstractions;
using static ReputationMonitor.Tests.Support.OperatorScenario;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// A deployment of three <c>monitor run</c> processes (one consumer group, one PostgreSQL, the broker in its own process):
/// Kafka shares the partitions among them (no home-made clustering). One is killed with SIGKILL in the middle of the
/// feedback — no commit, no leaving the group; the survivors take its partitions once its session times out, restore their
/// state from the changelogs, process again what it had not committed, and every account ends exactly as in a single
/// uninterrupted run: counts, statuses, one decision row per review. Then a fourth process joins and takes a share.
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed class ScaleOutTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int SessionTimeoutMs = 6000;
    private static readonly string[] Accounts = [.. Enumerable.Range(1, 8).Select(i => $"97000000000{i}")];

    [Theory]
    [InlineData(StreamRuntime.Partition)]
    [InlineData(StreamRuntime.Streamiz)]
    public async Task Three_processes_share_the_partitions_survive_a_kill_9_exactly_and_a_fourth_takes_a_share(StreamRuntime runtime)
    {
        var (broker, bootstrap) = await MonitorProcess.StartDevBrokerAsync();
        using var brokerProcess = broker;
        var db = await postgres.CreateDatabaseAsync();
        var prefix = MonitorInstance.NewPrefix();
        var settings = new Dictionary<string, string?>(MonitorInstance.Settings(prefix, bootstrap, db))
        {
            ["Kafka:Runtime"] = runtime.ToString(),
            ["Kafka:SessionTimeoutMs"] = SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var (attempts, events) = ($"{prefix}.email.send-attempts", $"{prefix}.email.events");
        var instances = (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey)))).ToList();
        try
        {
            var viewer = instances[0].Client;
            foreach (var account in Accounts) await MonitorInstance.ProduceAsync(bootstrap, attempts, Attempts(account, ids: account));
            foreach (var account in Accounts)
                await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
                    a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == Sends + 3, TimeSpan.FromSeconds(60), $"the sends of {account}");
            var shares = await Task.WhenAll(instances.Select(i => RecordsParsedAsync(i.Client)));
            Assert.True(shares.Count(n => n > 0) >= 2, $"the partitions are shared: records parsed per process {string.Join(", ", shares)}");

            // Half of the feedback, then SIGKILL of a process that holds input partitions; the rest arrives while it is gone.
            var feedback = Accounts.Select(a => Events(a, ids: a)).ToList();
            foreach (var e in feedback) await MonitorInstance.ProduceAsync(bootstrap, events, e.Take(e.Count / 2));
            var victim = Array.IndexOf(shares, shares.Max());
            await Poll.UntilAsync(() => RecordsParsedAsync(instances[victim].Client), n => n > shares[victim], TimeSpan.FromSeconds(60),
                "the victim to be processing feedback");
            var parsedByVictim = await RecordsParsedAsync(instances[victim].Client);
            var clock = Stopwatch.StartNew();
            instances[victim].Process.KillHard();
            instances[victim].Client.Dispose();
            instances[victim].Process.Dispose();
            instances.RemoveAt(victim);
            foreach (var e in feedback) await MonitorInstance.ProduceAsync(bootstrap, events, e.Skip(e.Count / 2));

            await AssertEveryDayEndedAsync(instances[0].Client, db, Accounts);
            // What the dead process had parsed but not committed is parsed again by the new owner: the cost of its death.
            var parsed = parsedByVictim + (await Task.WhenAll(instances.Select(i => RecordsParsedAsync(i.Client)))).Sum();
            var input = Accounts.Length * (Attempts(Accounts[0]).Count + Events(Accounts[0]).Count);
            output.WriteLine($"{runtime}: kill -9 to every account exact: {clock.Elapsed.TotalSeconds:F1} s (session timeout {SessionTimeoutMs / 1000} s); " +
                $"records parsed twice: at most {parsed - input} of {input}");

            // A fourth process joins the two survivors: after the rebalance it holds partitions and processes their records.
            var fourth = await MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey);
            instances.Add(fourth);
            clock.Restart();
            var later = new List<string>();
            await Poll.UntilAsync(async () =>
                {
                    var account = $"98{later.Count:D10}";
                    later.Add(account);
                    await MonitorInstance.ProduceAsync(bootstrap, attempts, Attempts(account, ids: account).Take(20));
                    return await RecordsParsedAsync(fourth.Client);
                },
                n => n > 0, TimeSpan.FromSeconds(60), "the fourth process to process records of its share");
            output.WriteLine($"{runtime}: the fourth process parsed its first records {clock.Elapsed.TotalSeconds:F1} s after it was ready");
            foreach (var account in later)
                await Poll.UntilAsync(() => fourth.Client.GetOrNullAsync($"/v1/accounts/{account}"),
                    a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == 20, TimeSpan.FromSeconds(60), $"the sends of {account}");
            await AssertEveryDayEndedAsync(fourth.Client, db, Accounts); // the rebalance changed nothing already decided
            Assert.All(instances, i => Assert.DoesNotContain("Unhandled exception", i.Process.Stderr));
        }
        finally
        {
            foreach (var (process, client) in instances)
            {
                client.Dispose();
                process.Dispose();
            }
        }
    }

    /// <summary>Input records this process parsed and routed to an account's engine (whichever runtime).</summary>
    private static async Task<double> RecordsParsedAsync(HttpClient client) =>
        new PrometheusText(await client.GetStringAsync("/metrics")).Value("reputation_records_routed_total") ?? 0;
}
