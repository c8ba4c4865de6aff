using ReputationMonitor.Configuration;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The two runtimes (<c>Kafka:Runtime</c>) share topics, consumer group, changelog layout and partitioner: a service
/// stopped on one and started on the other resumes exactly where it stopped — its state restored from the other's
/// changelog, its offsets the other's — so the flag can be switched on a running deployment (and switched back).
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed class RuntimeSwitchTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly string[] Accounts = ["960000000001", "960000000002", "960000000003"];

    [Theory]
    [InlineData(StreamRuntime.Streamiz, StreamRuntime.Partition)]
    [InlineData(StreamRuntime.Partition, StreamRuntime.Streamiz)]
    public async Task A_service_switched_to_the_other_runtime_resumes_with_its_state_and_offsets(StreamRuntime from, StreamRuntime to)
    {
        var first = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(from));
        var processed = first.Service<ReputationEngineSettings>();
        foreach (var account in Accounts) await first.ProduceAsync(first.SendAttemptsTopic, Attempts(account, ids: account));
        var attempts = Accounts.Length * (Sends + 4);
        await Poll.UntilAsync(() => Task.FromResult(processed.RecordsProcessed), n => n >= attempts, TimeSpan.FromSeconds(60), "every attempt");
        await first.DisposeAsync(); // commits: state in the changelog, offsets in the group

        await using var second = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(to), shareWith: first);
        foreach (var account in Accounts) await second.ProduceAsync(second.EventsTopic, Events(account, ids: account));

        // Sends counted by the first runtime, bounces and rejects joined to them by the second: the ledgers carried over.
        await AssertEveryDayEndedAsync(second, Accounts);
        // Nothing replayed past the committed offsets: the second processed only the events.
        Assert.Equal(Accounts.Length * Events(Accounts[0]).Count, second.Service<ReputationEngineSettings>().RecordsProcessed);
    }
}
