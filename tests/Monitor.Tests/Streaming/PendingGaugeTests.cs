using System.Text;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>The process-wide gauge is read here, so nothing else may move it meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PendingGaugeCollection
{
    public const string Name = "process-wide gauges";
}

/// <summary><c>reputation_join_pending_messages</c> is the sum over the process's partitions (each has an engine).</summary>
[Collection(PendingGaugeCollection.Name)]
public sealed class PendingGaugeTests
{
    private static ReputationEngine Engine() =>
        new(new ReputationEngineSettings { Topics = new KafkaOptions().AllTopics(), Clock = new ManualClock(T0), MaxFutureSkew = TimeSpan.FromDays(3650) }, new ChangeloggedEntries());

    private static void EarlyDelivery(ReputationEngine engine, string messageId)
    {
        var parsed = InputParser.ForEvents(new ReputationEngineSettings { Topics = new KafkaOptions().AllTopics() })
            .Parse(Encoding.UTF8.GetBytes(Delivery(messageId, "940000000001", T0, T0.AddSeconds(2), "a@gmail.com")));
        engine.Process(parsed.Input!); // no attempt yet: the message waits
    }

    [Fact]
    public void Waiting_messages_of_every_partition_add_up_and_a_closed_partition_takes_its_share_away()
    {
        var before = EngineMetrics.PendingMessages.Value;
        var (first, second) = (Engine(), Engine());
        EarlyDelivery(first, "gauge-1");
        EarlyDelivery(first, "gauge-2");
        EarlyDelivery(second, "gauge-3");
        Assert.Equal(before + 3, EngineMetrics.PendingMessages.Value);

        first.Close();
        Assert.Equal(before + 1, EngineMetrics.PendingMessages.Value);
        second.Close();
        Assert.Equal(before, EngineMetrics.PendingMessages.Value);
    }

}
