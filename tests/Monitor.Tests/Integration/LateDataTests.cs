using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Events later than the allowed lateness: counted as late, kept out of closed windows, still in the message trace.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LateDataTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "980000000018";

    [Fact]
    public async Task A_message_older_than_the_window_changes_no_count_but_is_traced_and_counted_as_late()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var before = ReputationMonitor.Engine.Observability.EngineMetrics.LateEvents.Value;

        await monitor.ProduceAsync(monitor.SendAttemptsTopic, [SesJson.Attempt("late-now", Account, T0.AddHours(30), "a@gmail.com")]);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"), a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == 1,
            TimeSpan.FromSeconds(60), "the current send");

        // 30 hours older than the account's stream time: beyond the 24 h window.
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, [SesJson.Attempt("late-old", Account, T0, "b@gmail.com")]);
        await monitor.ProduceAsync(monitor.EventsTopic, [Bounce("late-old", Account, T0, T0.AddMinutes(1), "b@gmail.com")]);

        var account = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"), a => a?.GetProperty("lateEvents").GetInt64() == 2,
            TimeSpan.FromSeconds(60), "the late send and bounce to be counted as late");
        Assert.Equal((1L, 0L), (account!.Value.GetProperty("totals").GetProperty("sent").GetInt64(),
            account.Value.GetProperty("totals").GetProperty("hardBounces").GetInt64()));
        Assert.True(ReputationMonitor.Engine.Observability.EngineMetrics.LateEvents.Value - before >= 2);

        var trace = await Poll.UntilAsync(() => viewer.GetOrNullAsync("/v1/messages/late-old"),
            m => m?.GetProperty("events").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the late message's trace");
        Assert.Equal("bounced", trace!.Value.GetProperty("diagnosis").GetProperty("status").GetString());
    }
}
