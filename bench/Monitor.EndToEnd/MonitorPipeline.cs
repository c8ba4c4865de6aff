using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Kafka;
using ReputationMonitor.Streaming;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.State;

namespace ReputationMonitor.EndToEnd;

/// <summary>(b) The monitor's stream exactly as the service runs it: parse, repartition by account, join, aggregate, rules, decisions.</summary>
public sealed class MonitorPipeline(WindowOptions? windows = null, JoinOptions? join = null, TimeSpan? snapshotInterval = null,
    int? streamThreads = null) : IPipeline
{
    private KafkaStream? _stream;
    private ReputationEngineSettings? _settings;

    public const string DisplayName = "monitor";
    public string Name => DisplayName;
    public long Processed => _settings?.RecordsProcessed ?? 0;

    public void Start(string bootstrap, BenchTopics topics)
    {
        var options = new KafkaOptions
        {
            BootstrapServers = bootstrap,
            ApplicationId = $"{topics.Prefix}-monitor",
            StreamThreads = streamThreads ?? new KafkaOptions().StreamThreads,
            Topics = new TopicNames
            {
                SendAttempts = topics.Attempts, Events = topics.Events, Commands = topics.Commands, Actions = topics.Actions,
                Dlq = $"{topics.Prefix}.reputation.dlq", Suppressions = $"{topics.Prefix}.reputation.suppressions",
                AccountStats = $"{topics.Prefix}.reputation.account-stats", EntityStats = $"{topics.Prefix}.reputation.entity-stats",
            },
        };
        _settings = new ReputationEngineSettings { Topics = new Topics(options), Window = windows ?? new(), Join = join ?? new(),
            SnapshotInterval = snapshotInterval ?? TimeSpan.FromSeconds(1) };
        using (var connection = new KafkaConnection(Options.Create(options), NullLogger<KafkaConnection>.Instance))
            new TopicProvisioner(connection, NullLogger<TopicProvisioner>.Instance)
                .EnsureAsync(_settings.Topics.All(), options.DefaultPartitions, 1, CancellationToken.None).GetAwaiter().GetResult();
        _stream = new KafkaStream(ReputationTopology.Build(_settings), StreamHost.CreateConfig(options, bootstrap, NullLogger.Instance));
        _stream.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>What the state store holds, by kind (key prefix): entries and mean value size — where the state per message goes.</summary>
    public string DescribeState()
    {
        if (_stream is null || _settings is null) return "";
        var store = _stream.Store(StoreQueryParameters.FromNameAndType(Topics.StateStore, QueryableStoreTypes.KeyValueStore<string, byte[]>()));
        var kinds = store.All().GroupBy(kv => kv.Key[..2])
            .Select(g => $"{g.Key} {g.Count():N0} entries, key {g.Average(kv => kv.Key.Length):N0} chars, value {g.Average(kv => kv.Value.Length):N0} B");
        return "store: " + string.Join("; ", kinds);
    }

    public void Dispose() => _stream?.Dispose();
}
