using ReputationMonitor.Configuration;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Two instances in one consumer group share the partitions (Kafka assigns them; no home-made clustering); when one
/// stops, the other takes its partitions over, restores their state from the changelog, and the final results are
/// exactly those of a single instance.
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed class ScaleOutTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly string[] Accounts = ["970000000001", "970000000002", "970000000003", "970000000004", "970000000005", "970000000006"];

    [Theory]
    [InlineData(StreamRuntime.Streamiz)]
    [InlineData(StreamRuntime.Partition)]
    public async Task Two_instances_share_the_partitions_and_one_takes_over_when_the_other_stops(StreamRuntime runtime)
    {
        var first = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(runtime));
        await using var second = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(runtime), shareWith: first);
        var (a, b) = (first.Service<ReputationEngineSettings>(), second.Service<ReputationEngineSettings>());

        // The sends with both running: each instance processes the partitions it was given, every record once.
        foreach (var account in Accounts) await first.ProduceAsync(first.SendAttemptsTopic, Attempts(account, ids: account));
        var expected = Accounts.Length * (Sends + 4);
        await Poll.UntilAsync(() => Task.FromResult(a.RecordsProcessed + b.RecordsProcessed), n => n >= expected, TimeSpan.FromSeconds(60),
            "every attempt to be processed");
        Assert.True(a.RecordsProcessed > 0 && b.RecordsProcessed > 0, $"both instances processed records ({a.RecordsProcessed} and {b.RecordsProcessed})");
        using var viewer = second.Client(MonitorInstance.ViewerKey);
        foreach (var account in Accounts)
            await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
                x => x?.GetProperty("totals").GetProperty("sent").GetInt64() == Sends + 3, TimeSpan.FromSeconds(60), $"the sends of {account}");

        // The first stops; the second takes its partitions over and processes all of the feedback.
        var beforeStop = b.RecordsProcessed;
        await first.DisposeAsync();
        foreach (var account in Accounts) await second.ProduceAsync(second.EventsTopic, Events(account, ids: account));

        await AssertEveryDayEndedAsync(second, Accounts);
        Assert.True(b.RecordsProcessed - beforeStop >= Accounts.Length * Events(Accounts[0]).Count, "the second processed every event");
    }
}
