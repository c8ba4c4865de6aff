using System.Text;
using System.Text.Json;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Kafka;
using ReputationMonitor.Tests.Support;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.StreamizRuntime;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// The engine hosted without Kafka (as the partition processor hosts it: <see cref="InputParser"/>, then
/// <see cref="ReputationEngine"/> over changelogged entries) publishes exactly what the Streamiz topology publishes for
/// the same records: the same decisions with the same ids, the same suppression changes, the same dead letters.
/// </summary>
public sealed class EngineHostTests
{
    private static readonly string[] Accounts = ["950000000001", "950000000002"];

    private static List<(bool IsAttempt, byte[] Value)> Records()
    {
        var records = new List<(bool, byte[])>();
        foreach (var account in Accounts)
        {
            records.AddRange(OperatorScenario.Attempts(account, ids: account).Select(a => (true, Encoding.UTF8.GetBytes(a))));
            records.AddRange(OperatorScenario.Events(account, ids: account).Select(e => (false, Encoding.UTF8.GetBytes(e))));
        }
        records.Add((false, "{\"eventType\":\"Bounce\",\"mail\":"u8.ToArray())); // truncated: a dead letter either way
        return records;
    }

    /// <summary>Transitions (findings come from the wall-clock tick, which the two hosts run at different moments), suppressions.</summary>
    private static string Describe(string topic, string key, byte[] value, Topics topics)
    {
        if (topic == topics.Suppressions) return $"suppression {key}";
        var doc = JsonDocument.Parse(value).RootElement;
        return doc.GetProperty("kind").GetString() == "transition"
            ? $"decision {key} {doc.GetProperty("decisionId").GetString()} {doc.GetProperty("from").GetString()}->{doc.GetProperty("to").GetString()} {doc.GetProperty("rule").GetString()}"
            : "";
    }

    [Fact]
    public void The_engine_without_streamiz_publishes_what_the_topology_publishes()
    {
        var topics = new KafkaOptions().AllTopics();
        var records = Records();

        var viaTopology = new List<string>();
        using (var driver = new TopologyTestDriver(ReputationTopology.Build(new ReputationEngineSettings { Topics = topics, Clock = new ManualClock(T0), MaxFutureSkew = TimeSpan.FromDays(3650) }),
                   new StreamConfig<ByteArraySerDes, ByteArraySerDes> { ApplicationId = "engine-host-test" }))
        {
            var attempts = driver.CreateInputTopic<byte[], byte[]>(topics.SendAttempts);
            var events = driver.CreateInputTopic<byte[], byte[]>(topics.Events);
            var actions = driver.CreateOutputTopic<string, byte[]>(topics.Actions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
            var suppressions = driver.CreateOutputTopic<string, byte[]>(topics.Suppressions, TimeSpan.FromSeconds(1), new StringSerDes(), new ByteArraySerDes());
            var dlq = driver.CreateOutputTopic<byte[], byte[]>(topics.Dlq, TimeSpan.FromSeconds(1), new ByteArraySerDes(), new ByteArraySerDes());
            foreach (var (isAttempt, value) in records) (isAttempt ? attempts : events).PipeInput(null!, value);
            viaTopology.AddRange(actions.ReadKeyValueList().Select(r => Describe(topics.Actions, r.Message.Key, r.Message.Value, topics)));
            viaTopology.AddRange(suppressions.ReadKeyValueList().Select(r => Describe(topics.Suppressions, r.Message.Key, r.Message.Value, topics)));
            viaTopology.AddRange(dlq.ReadKeyValueList().Select(_ => "dead letter"));
        }

        var output = new CollectingOutput(topics);
        var engine = new ReputationEngine(new ReputationEngineSettings { Topics = topics, Clock = new ManualClock(T0), MaxFutureSkew = TimeSpan.FromDays(3650) }, new ChangeloggedEntries(),
            ledgersWriteThrough: true);
        var parsers = (Attempts: InputParser.ForAttempts(new ReputationEngineSettings { Topics = topics }),
            Events: InputParser.ForEvents(new ReputationEngineSettings { Topics = topics }));
        var direct = new List<string>();
        foreach (var (isAttempt, value) in records)
        {
            var parsed = (isAttempt ? parsers.Attempts : parsers.Events).Parse(value);
            if (parsed.Input is { } input) output.Add(engine.Process(input));
            else output.Published.Add((topics.Dlq, "", value));
        }
        direct.AddRange(output.Published.Where(p => p.Topic == topics.Actions).Select(p => Describe(p.Topic, p.Key, p.Value, topics)));
        direct.AddRange(output.Published.Where(p => p.Topic == topics.Suppressions).Select(p => Describe(p.Topic, p.Key, p.Value, topics)));
        direct.AddRange(output.Published.Where(p => p.Topic == topics.Dlq).Select(_ => "dead letter"));

        viaTopology.RemoveAll(d => d.Length == 0);
        direct.RemoveAll(d => d.Length == 0);
        Assert.Equal(3 * Accounts.Length, viaTopology.Count(d => d.StartsWith("decision", StringComparison.Ordinal))); // the scenario's reviews
        Assert.Contains("dead letter", viaTopology);
        Assert.Contains(viaTopology, d => d.StartsWith("suppression", StringComparison.Ordinal)); // the hard bounces' addresses
        Assert.Equal(viaTopology, direct);
    }

    private sealed class CollectingOutput(Topics topics)
    {
        public List<(string Topic, string Key, byte[] Value)> Published { get; } = [];

        public void Add(IReadOnlyList<EngineOutput> outputs)
        {
            foreach (var (key, output) in outputs) Published.Add((OutputTable.Topic(output, topics), key, OutputTable.Encode(output)));
        }
    }
}
