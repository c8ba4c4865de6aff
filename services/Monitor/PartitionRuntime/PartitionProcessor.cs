using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// The purpose-built runtime (<c>Kafka:Runtime = Partition</c>, the default), split as Kafka Streams splits its own: this
/// class is the poll loop (<c>StreamThread</c>); the <see cref="EngineTask"/>s of the by-account partitions held here are
/// the tasks, kept in <see cref="_tasks"/> (<c>TaskManager</c>); the <see cref="RecordCollector"/> produces; the
/// <see cref="StateRestorer"/> restores (<c>StateUpdater</c>). The engines run on an <see cref="EngineLane{TTask}"/>
/// (a second thread, or inline).
/// <list type="bullet">
/// <item>Input records are parsed (<see cref="InputParser"/>, one per row of <see cref="InputTable"/>) and go to the engine
/// of their account's by-account partition: directly when this instance holds that partition
/// (<c>Kafka:SkipRepartitionWhenLocal</c>, the default — with one instance, every record), else through the by-account
/// repartition topic (MessagePack, as Streamiz writes it). Bad ones go to the DLQ with their reason.</item>
/// <item>Repartition records go to the task of their partition; its outputs are produced by <see cref="OutputTable"/>.</item>
/// <item>At every commit interval: each task writes its changed state to the changelog, every produced record is
/// acknowledged, and only then are the processed offsets committed — the at-least-once order Streamiz gives (the engine
/// counts an event once however often it is replayed).</item>
/// <item>Partitions assigned are paused while the by-account ones among them are restored from their changelog, off the
/// assignment callback, then resumed together (an input record may go to any by-account partition, so none flows before
/// all are ready). A revoked partition is committed first; one revoked mid-restore has its restore cancelled; one given back
/// by the same rebalance with its changelog unchanged keeps its task instead of a restore (<see cref="KeptTasks"/>). Topic names,
/// keys, partitioner, changelog layout and consumer group are Streamiz's, so either runtime takes over the other's state
/// and offsets.</item>
/// </list>
/// </summary>
public sealed class PartitionProcessor : IDisposable
{
    private readonly ReputationEngineSettings _settings;
    private readonly Topics _topics;
    private readonly StreamStatus _status;
    private readonly ILogger _logger;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly RecordCollector _collector;
    private readonly StateRestorer _restorer;
    private readonly Dictionary<string, InputParser> _parsers;
    /// <summary>The tasks of the by-account partitions held and restored here; touched on the lane only.</summary>
    private readonly Dictionary<int, EngineTask> _tasks = [];
    /// <summary>Tasks revoked by a rebalance, kept for it to give them back (<see cref="KeptTasks"/>).</summary>
    private readonly KeptTasks _kept;
    private readonly string _changelog;
    private bool _closing;
    /// <summary>
    /// The next offset to commit per input partition. Kept here and committed explicitly instead of
    /// <c>StoreOffset</c> per record, which marshals a partition list through librdkafka each time.
    /// </summary>
    private readonly Dictionary<(string Topic, int Partition), long> _processed = [];
    /// <summary>Assigned partitions held back until the restores end: <see cref="_toPause"/> from the callback, paused by the loop.</summary>
    private readonly HashSet<TopicPartition> _toPause = [], _paused = [];
    /// <summary>An assignment's restores are under way: the held partitions resume (and the status is RUNNING) when they end.</summary>
    private bool _restoring;
    private readonly long _commitIntervalMs;
    private readonly bool _skipRepartitionWhenLocal;
    private readonly IAdminClient _metadata;
    private readonly EngineLane<EngineTask> _lane;
    /// <summary>Partitions of the by-account topic (read at each assignment); 0 while unknown, then every record takes the topic.</summary>
    private int _repartitionPartitions;

    public PartitionProcessor(ReputationEngineSettings settings, KafkaOptions options, KafkaClients clients, StreamStatus status, ILogger logger)
    {
        _settings = settings;
        _topics = settings.Topics;
        _status = status;
        _logger = logger;
        _commitIntervalMs = options.CommitIntervalMs;
        _skipRepartitionWhenLocal = options.SkipRepartitionWhenLocal;
        _parsers = InputParser.ForInputs(settings).ToDictionary(p => p.SourceTopic, StringComparer.Ordinal);
        _changelog = _topics.Changelog(Topics.StateStore);

        // The group is Streamiz's (application id), so offsets carry over between the runtimes.
        _consumer = new ConsumerBuilder<byte[], byte[]>(clients.Configure(new ConsumerConfig
            {
                GroupId = options.ApplicationId, ClientId = $"{options.ApplicationId}-partition-processor",
                AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
                SessionTimeoutMs = options.SessionTimeoutMs, PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
                // Same reason as the Streamiz configuration: an idle partition's fetch should not hold back the others.
                FetchWaitMaxMs = 10,
            }))
            .SetErrorHandler((_, e) => OnClientError("consumer", e))
            .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked(revoked))
            .SetPartitionsLostHandler((_, lost) => OnLost(lost))
            .Build();
        _collector = new RecordCollector(new ProducerBuilder<byte[], byte[]>(clients.Configure(new ProducerConfig
            {
                ClientId = $"{options.ApplicationId}-partition-processor",
                // Streamiz's partitioner: the same account lands on the same repartition partition under either runtime.
                Partitioner = Partitioner.Murmur2Random,
            }))
            .SetErrorHandler((_, e) => OnClientError("producer", e)));
        _metadata = new DependentAdminClientBuilder(_collector.Handle).Build();
        _lane = new EngineLane<EngineTask>(options.PartitionThreads >= 2, (long)settings.SnapshotInterval.TotalMilliseconds,
            work => work.Task.Process(work.Input, work.Headers, work.Topic),
            () =>
            {
                foreach (var task in _tasks.Values) task.Tick();
            });
        _kept = new KeptTasks(_lane, _consumer, _changelog, logger);
        _restorer = new StateRestorer(new ConsumerBuilder<byte[], byte[]>(clients.Configure(new ConsumerConfig
            {
                GroupId = $"{options.ApplicationId}-restore", ClientId = $"{options.ApplicationId}-restore",
                EnableAutoCommit = false, EnableAutoOffsetStore = false, FetchWaitMaxMs = 10,
            }))
            .SetErrorHandler((_, e) => OnClientError("restore consumer", e)), _changelog);
    }

    /// <summary>Partitions of the by-account topic this instance holds, with their state (for diagnostics and the benchmark).</summary>
    public IReadOnlyDictionary<int, ChangeloggedEntries> State => _tasks.ToDictionary(p => p.Key, p => p.Value.Entries);

    internal StateRestorer Restorer => _restorer;

    /// <summary>Runs until <paramref name="stop"/> is cancelled (then commits and leaves the group) or a fatal error (thrown).</summary>
    public void Run(CancellationToken stop)
    {
        _status.Set("REBALANCING");
        _consumer.Subscribe([.. _parsers.Keys, _topics.RepartitionTopic]);
        var nextCommit = Environment.TickCount64 + _commitIntervalMs;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                ConsumeResult<byte[], byte[]>? record;
                try
                {
                    // Records gathered for the engine lane are handed over as soon as nothing more is ready.
                    record = _consumer.Consume(_lane.HasPending ? TimeSpan.Zero : TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    _logger.LogWarning("Consume failed: {Reason} ({Code}); continuing", e.Error.Reason, e.Error.Code);
                    continue;
                }
                HoldAssigned();
                if (record is not null) Dispatch(record);
                else _lane.Flush();
                if (_restoring) AdoptRestored();

                _lane.TickIfDue();
                if (Environment.TickCount64 >= nextCommit)
                {
                    Commit();
                    nextCommit = Environment.TickCount64 + _commitIntervalMs;
                }
            }
            _status.Set("PENDING_SHUTDOWN");
            Commit();
            _closing = true; // the revoke that closing brings keeps nothing
            _consumer.Close(); // leaves the group: the partitions move at once instead of after the session timeout
            _lane.Run(() =>
            {
                foreach (var task in _tasks.Values) task.Engine.Close();
                _tasks.Clear();
            });
            _kept.DropAll();
            _status.Set("NOT_RUNNING");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _status.Fail(e.Message);
            _logger.LogCritical(e, "The partition processor stopped");
            throw;
        }
    }

    private void Dispatch(ConsumeResult<byte[], byte[]> record)
    {
        if (_paused.Contains(record.TopicPartition))
        {
            // Fetched before its partition was paused: read again once the restores are done.
            _consumer.Seek(record.TopicPartitionOffset);
            return;
        }
        var topic = record.Topic;
        if (topic == _topics.RepartitionTopic) Process(record);
        else Parse(record, _parsers[topic]);
        _processed[(topic, record.Partition.Value)] = record.Offset.Value + 1;
    }

    private void Parse(ConsumeResult<byte[], byte[]> record, InputParser parser)
    {
        var value = record.Message.Value ?? [];
        var parsed = parser.Parse(value);
        if (parsed.Input is { } input)
        {
            var key = Encoding.UTF8.GetBytes(parsed.Account!);
            // The account's partition is held here: the record goes to its task now instead of a round trip through the
            // topic. Its input offset is committed with that task's state (below), exactly as a repartition record's is.
            if (_skipRepartitionWhenLocal && _repartitionPartitions > 0
                && _tasks.TryGetValue(KafkaPartitioner.Murmur2Partition(key, _repartitionPartitions), out var local))
            {
                MonitorMetrics.RoutedLocal.Inc();
                _lane.Add(new(local, input, record.Message.Headers, record.Topic));
                return;
            }
            MonitorMetrics.RoutedRepartition.Inc();
            _collector.Send(_topics.RepartitionTopic, key, StateCodec.Encode(input), null);
            return;
        }
        var (headers, dead) = DeadLetter.Prepare(record.Message.Headers, record.TopicPartitionOffset, value, parsed.ErrorCode!, parsed.Reason!,
            parser.SourceTopic);
        _collector.Send(_topics.Dlq, record.Message.Key, dead, headers);
    }

    private void Process(ConsumeResult<byte[], byte[]> record)
    {
        var task = _tasks[record.Partition.Value];
        var input = StreamInput.Read(record.Message.Value ?? []);
        if (input.UnreadableReason is { } why)
        {
            // Only this service writes the topic; an unreadable record is a bug or corruption, and must not stop the others.
            var (headers, dead) = DeadLetter.Prepare(record.Message.Headers, record.TopicPartitionOffset, record.Message.Value ?? [],
                StreamInput.InvalidRecord, why, record.Topic);
            _collector.Send(_topics.Dlq, record.Message.Key, dead, headers);
            return;
        }
        _lane.Add(new(task, input, record.Message.Headers, record.Topic));
    }

    /// <summary>State to the changelog, every produced record acknowledged, then the offsets of what was processed.</summary>
    private void Commit()
    {
        // On the lane, after every record handed over so far: the offsets below are all processed.
        _lane.Run(() =>
        {
            foreach (var task in _tasks.Values) task.Flush();
        });
        _collector.Flush();
        if (_processed.Count == 0) return;
        try
        {
            _consumer.Commit(_processed.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)));
            _processed.Clear();
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId)
        {
            // The group is rebalancing: the revoked handler commits these offsets next (or the partitions' new owner
            // replays from the last commit — at least once, and the engine counts a replayed event once).
            _logger.LogInformation("Commit deferred by a rebalance: {Reason}", e.Error.Reason);
        }
    }

    /// <summary>In the callback: note what to hold and start the restores; the loop pauses and resumes (<see cref="HoldAssigned"/>).</summary>
    private void OnAssigned(List<TopicPartition> assigned)
    {
        _status.Set("REBALANCING");
        if (assigned.Any(tp => tp.Topic == _topics.RepartitionTopic)) _repartitionPartitions = RepartitionPartitions();
        _toPause.UnionWith(assigned);
        _restoring = true;
        foreach (var tp in assigned)
            if (tp.Topic == _topics.RepartitionTopic && !_kept.TryTakeBack(tp.Partition.Value, _tasks)) _restorer.Begin(tp.Partition.Value);
        _kept.DropAll(); // not given back: their next owner restores them
    }

    /// <summary>Pauses what the last assignment gave (the consumer assigns after the callback returns).</summary>
    private void HoldAssigned()
    {
        if (_toPause.Count == 0) return;
        _consumer.Pause(_toPause);
        _paused.UnionWith(_toPause);
        _toPause.Clear();
    }

    /// <summary>Restored partitions become tasks; when none is left to restore, the held partitions resume.</summary>
    private void AdoptRestored()
    {
        while (_restorer.TryTake(out var restored))
        {
            if (restored.Failure is { } failure)
                throw new KafkaException(new Error(ErrorCode.Local_State, $"restoring partition {restored.Partition}: {failure.Message}"), failure);
            var task = new EngineTask(restored.Partition, restored.Entries!, _settings, _collector);
            _lane.Run(() => _tasks[restored.Partition] = task);
            _logger.LogInformation("Partition {Partition} restored: {Entries} state entries in {Ms} ms", restored.Partition, restored.Entries!.Count,
                restored.ElapsedMs);
        }
        if (_restorer.Pending > 0) return;
        if (_paused.Count > 0) _consumer.Resume(_paused);
        _paused.Clear();
        _restoring = false;
        _status.Set("RUNNING");
    }

    private void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        Commit();
        // The revoke that closing brings keeps nothing.
        if (!_closing) _kept.Keep([.. revoked.Where(tp => tp.Topic == _topics.RepartitionTopic).Select(tp => tp.Partition.Value)], _tasks);
        Forget(revoked);
    }

    /// <summary>Partitions no longer ours: their restores, tasks and uncommitted offsets go (their next owner replays from the last commit).</summary>
    private void Forget(List<TopicPartitionOffset> partitions)
    {
        foreach (var tp in partitions)
        {
            _processed.Remove((tp.Topic, tp.Partition.Value));
            _toPause.Remove(tp.TopicPartition);
            _paused.Remove(tp.TopicPartition);
            if (tp.Topic == _topics.RepartitionTopic) _restorer.Cancel(tp.Partition.Value);
        }
        _lane.Run(() =>
        {
            foreach (var tp in partitions)
                if (tp.Topic == _topics.RepartitionTopic && _tasks.Remove(tp.Partition.Value, out var gone)) gone.Engine.Close();
        });
    }

    private void OnLost(List<TopicPartitionOffset> lost)
    {
        // Another member owns them now: its restore holds the truth; what was not committed here is replayed there.
        _logger.LogWarning("Partitions lost: {Partitions}", string.Join(", ", lost.Select(tp => tp.TopicPartition.ToString())));
        Forget(lost);
    }

    private int RepartitionPartitions()
    {
        var topic = _metadata.GetMetadata(_topics.RepartitionTopic, TimeSpan.FromSeconds(10)).Topics
            .FirstOrDefault(t => t.Topic == _topics.RepartitionTopic);
        if (topic is { Error.Code: ErrorCode.NoError, Partitions.Count: > 0 }) return topic.Partitions.Count;
        _logger.LogWarning("No metadata for {Topic} ({Reason}): every record goes through it until the next assignment",
            _topics.RepartitionTopic, topic?.Error.Reason ?? "not found");
        return 0;
    }

    private void OnClientError(string client, Error e)
    {
        if (e.IsFatal)
        {
            _status.Fail($"{client}: {e.Reason}");
            _logger.LogCritical("Kafka {Client} fatal error: {Reason} ({Code})", client, e.Reason, e.Code);
        }
        else _logger.LogWarning("Kafka {Client} error: {Reason} ({Code})", client, e.Reason, e.Code);
    }

    public void Dispose()
    {
        _lane.Dispose();
        _restorer.Dispose();
        _metadata.Dispose();
        _consumer.Dispose();
        _collector.Dispose();
    }
}
