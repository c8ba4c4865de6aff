using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.State;
using ReputationMonitor.Engine;
using ReputationMonitor.PartitionRuntime;
using ReputationMonitor.StreamizRuntime;
using ReputationMonitor.Hosting;
using ReputationMonitor.Observability;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// (b) The monitor's stream exactly as the service runs it: parse, repartition by account, join, aggregate, rules,
/// decisions — on Streamiz, or on the partition processor (<c>Kafka:Runtime = Partition</c>).
/// </summary>
public sealed class MonitorPipeline(WindowOptions? windows = null, JoinOptions? join = null, TimeSpan? snapshotInterval = null,
    int? streamThreads = null, StreamRuntime runtime = StreamRuntime.Streamiz, bool skipRepartitionWhenLocal = true,
    int? partitionThreads = null, TimeSpan? entitySnapshotInterval = null) : IPipeline
{
    private KafkaStream? _stream;
    private PartitionProcessor? _processor;
    private Task? _processing;
    private readonly CancellationTokenSource _stop = new();
    private ReputationEngineSettings? _settings;

    /// <summary>The key the monitor under test verifies commands with, and the latency probe signs them with.</summary>
    public static readonly CommandSignature CommandSignature = new(ReputationMonitor.Api.ApiKeyRegistry.NewKey("bench"));

    public const string DisplayName = "monitor", PartitionDisplayName = "monitor/partition", PartitionHopDisplayName = "monitor/partition-hop",
        PartitionOneThreadDisplayName = "monitor/partition-1t", PartitionEveryChangeDisplayName = "monitor/partition-every";
    public string Name => runtime != StreamRuntime.Partition ? DisplayName
        : !skipRepartitionWhenLocal ? PartitionHopDisplayName
        : partitionThreads == 1 ? PartitionOneThreadDisplayName
        : entitySnapshotInterval == TimeSpan.Zero ? PartitionEveryChangeDisplayName : PartitionDisplayName;
    public long Processed => _settings?.RecordsProcessed ?? 0;

    public void Start(string bootstrap, BenchTopics topics)
    {
        var options = new KafkaOptions
        {
            BootstrapServers = bootstrap,
            ApplicationId = $"{topics.Prefix}-monitor",
            StreamThreads = streamThreads ?? new KafkaOptions().StreamThreads,
            Runtime = runtime,
            SkipRepartitionWhenLocal = skipRepartitionWhenLocal,
            PartitionThreads = partitionThreads ?? new KafkaOptions().PartitionThreads,
            Topics = new TopicNames
            {
                SendAttempts = topics.Attempts, Events = topics.Events, Commands = topics.Commands, Actions = topics.Actions,
                Dlq = $"{topics.Prefix}.reputation.dlq", Suppressions = $"{topics.Prefix}.reputation.suppressions",
                AccountStats = $"{topics.Prefix}.reputation.account-stats", EntityStats = $"{topics.Prefix}.reputation.entity-stats",
            },
        };
        _settings = new ReputationEngineSettings { Topics = options.AllTopics(), Window = windows ?? new(), Join = join ?? new(),
            SnapshotInterval = snapshotInterval ?? TimeSpan.FromSeconds(1), CommandSignature = CommandSignature,
            EntitySnapshotInterval = entitySnapshotInterval ?? new ReputationOptions().EntitySnapshotInterval };
        using (var connection = new KafkaConnection(Options.Create(options), NullLogger<KafkaConnection>.Instance))
            new TopicProvisioner(connection, NullLogger<TopicProvisioner>.Instance)
                .EnsureAsync(_settings.Topics.All(), options.DefaultPartitions, 1, CancellationToken.None).GetAwaiter().GetResult();
        if (runtime == StreamRuntime.Partition)
        {
            _processor = new PartitionProcessor(_settings, options, new KafkaClients(bootstrap, options), new StreamStatus(), NullLogger.Instance);
            _processing = Task.Factory.StartNew(() => _processor.Run(_stop.Token), TaskCreationOptions.LongRunning);
            return;
        }
        _stream = new KafkaStream(ReputationTopology.Build(_settings), StreamHost.CreateConfig(options, new KafkaClients(bootstrap, options), NullLogger.Instance));
        _stream.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>What the state store holds, by kind (key prefix): entries and mean value size — where the state per message goes.</summary>
    public string DescribeState()
    {
        if (_settings is null) return "";
        var entries = _processor is not null ? ProcessorEntries(_processor)
            : _stream?.Store(StoreQueryParameters.FromNameAndType(Topics.StateStore, QueryableStoreTypes.KeyValueStore<string, byte[]>())).All().ToList() ?? [];
        var kinds = entries.GroupBy(kv => kv.Key[..2])
            .Select(g => $"{g.Key} {g.Count():N0} entries, key {g.Average(kv => kv.Key.Length):N0} chars, value {g.Average(kv => kv.Value.Length):N0} B");
        return "store: " + string.Join("; ", kinds);
    }

    /// <summary>
    /// The processor's entries, read from this thread once its records are all processed; its statistics tick and commit
    /// still run, and a commit that writes while this reads makes the enumeration throw: read again (a diagnostic line only).
    /// </summary>
    private static List<KeyValuePair<string, byte[]>> ProcessorEntries(PartitionProcessor processor)
    {
        for (var attempt = 1; ; attempt++)
            try
            {
                return [.. processor.State.Values.SelectMany(e => e.All())];
            }
            catch (InvalidOperationException) when (attempt < 10)
            {
                Thread.Sleep(50); // the commit that collided takes a few milliseconds
            }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        if (_processing is null) return;
        _stop.Cancel();
        _processing.Wait(TimeSpan.FromSeconds(60));
        _processor!.Dispose();
    }
}
