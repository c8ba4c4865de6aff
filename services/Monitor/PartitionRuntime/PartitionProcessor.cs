using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.StreamizRuntime;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// The purpose-built runtime (<c>Kafka:Runtime = Partition</c>, the default): the topology of <see cref="ReputationTopology"/>
/// run by one plain consumer and one producer — the consumer's thread parses and routes, the engines run on an
/// <see cref="EngineLane{TPartition}"/> (a second thread, or inline) — without Streamiz's per-record node chain, task
/// queues and per-record bookkeeping, overhead paid on every record whatever work the record itself needs.
/// <list type="bullet">
/// <item>Input records are parsed (<see cref="InputParser"/>) and go to the engine of their account's by-account partition:
/// directly when this instance holds that partition (<c>Kafka:SkipRepartitionWhenLocal</c>, the default — with one
/// instance, every record), else through the by-account repartition topic (MessagePack, as Streamiz writes it). Bad ones
/// go to the DLQ with their reason.</item>
/// <item>Repartition records go to the <see cref="ReputationEngine"/> of their partition; its outputs are produced at once.</item>
/// <item>At every commit interval: each engine writes its changed state, the changes go to the changelog, the producer is
/// flushed (every output and changelog record acknowledged), and only then are the processed offsets committed — the
/// at-least-once order Streamiz gives (the engine counts an event once however often it is replayed).</item>
/// <item>A partition assigned to this instance is restored from its changelog before its first record; one revoked is
/// committed first. Topic names, keys, partitioner, changelog layout and consumer group are Streamiz's, so either runtime
/// takes over the other's state and offsets.</item>
/// </list>
/// </summary>
public sealed class PartitionProcessor : IDisposable
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(120), FlushTimeout = TimeSpan.FromSeconds(60);

    private readonly ReputationEngineSettings _settings;
    private readonly Topics _topics;
    private readonly string _changelog;
    private readonly StreamStatus _status;
    private readonly ILogger _logger;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly IConsumer<byte[], byte[]> _restorer;
    private readonly Dictionary<string, InputParser> _parsers;
    private readonly Dictionary<int, EnginePartition> _partitions = [];
    /// <summary>
    /// The next offset to commit per input partition. Kept here and committed explicitly instead of
    /// <c>StoreOffset</c> per record, which marshals a partition list through librdkafka each time.
    /// </summary>
    private readonly Dictionary<(string Topic, int Partition), long> _processed = [];
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly long _commitIntervalMs, _tickIntervalMs;
    private readonly bool _skipRepartitionWhenLocal;
    private readonly IAdminClient _metadata;
    private readonly EngineLane<EnginePartition> _lane;
    /// <summary>Partitions of the by-account topic (read at each assignment); 0 while unknown, then every record takes the topic.</summary>
    private int _repartitionPartitions;
    private Error? _deliveryError;

    public PartitionProcessor(ReputationEngineSettings settings, KafkaOptions options, KafkaClients clients, StreamStatus status, ILogger logger)
    {
        _settings = settings;
        _topics = settings.Topics;
        _changelog = _topics.Changelog(Topics.StateStore);
        _status = status;
        _logger = logger;
        _commitIntervalMs = options.CommitIntervalMs;
        _skipRepartitionWhenLocal = options.SkipRepartitionWhenLocal;
        _tickIntervalMs = (long)settings.SnapshotInterval.TotalMilliseconds;
        _parsers = InputParser.ForInputs(settings).ToDictionary(p => p.SourceTopic, StringComparer.Ordinal);
        _onDelivery = report =>
        {
            if (report.Error.IsError) Interlocked.CompareExchange(ref _deliveryError, report.Error, null);
        };

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
        _producer = new ProducerBuilder<byte[], byte[]>(clients.Configure(new ProducerConfig
            {
                ClientId = $"{options.ApplicationId}-partition-processor",
                // Streamiz's partitioner: the same account lands on the same repartition partition under either runtime.
                Partitioner = Partitioner.Murmur2Random,
            }))
            .SetErrorHandler((_, e) => OnClientError("producer", e))
            .Build();
        _metadata = new DependentAdminClientBuilder(_producer.Handle).Build();
        _lane = new EngineLane<EnginePartition>(options.PartitionThreads >= 2, _tickIntervalMs,
            work => work.Partition.Process(work.Input, work.Headers, work.Topic),
            () =>
            {
                foreach (var partition in _partitions.Values) partition.Engine.Tick();
            });
        _restorer = new ConsumerBuilder<byte[], byte[]>(clients.Configure(new ConsumerConfig
            {
                GroupId = $"{options.ApplicationId}-restore", ClientId = $"{options.ApplicationId}-restore",
                EnableAutoCommit = false, EnableAutoOffsetStore = false, FetchWaitMaxMs = 10,
            }))
            .SetErrorHandler((_, e) => OnClientError("restore consumer", e))
            .Build();
    }

    /// <summary>Partitions of the by-account topic this instance holds, with their state (for diagnostics and the benchmark).</summary>
    public IReadOnlyDictionary<int, ChangeloggedEntries> State =>
        _partitions.ToDictionary(p => p.Key, p => p.Value.Entries);

    /// <summary>Runs until <paramref name="stop"/> is cancelled (then commits and leaves the group) or a fatal error (thrown).</summary>
    public void Run(CancellationToken stop)
    {
        _status.Set("REBALANCING");
        _consumer.Subscribe([_topics.SendAttempts, _topics.Events, _topics.Commands, _topics.RepartitionTopic]);
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
                if (record is not null) Dispatch(record);
                else _lane.Flush();

                _lane.TickIfDue();
                if (Environment.TickCount64 >= nextCommit)
                {
                    Commit();
                    nextCommit = Environment.TickCount64 + _commitIntervalMs;
                }
            }
            _status.Set("PENDING_SHUTDOWN");
            Commit();
            _consumer.Close(); // leaves the group: the partitions move at once instead of after the session timeout
            _lane.Run(() =>
            {
                foreach (var partition in _partitions.Values) partition.Engine.Close();
                _partitions.Clear();
            });
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
            // The account's partition is held here: the record goes to its engine now instead of a round trip through the
            // topic. Its input offset is committed with that engine's state (below), exactly as a repartition record's is.
            if (_skipRepartitionWhenLocal && _repartitionPartitions > 0
                && _partitions.TryGetValue(KafkaPartitioner.Murmur2Partition(key, _repartitionPartitions), out var local))
            {
                MonitorMetrics.RoutedLocal.Inc();
                _lane.Add(new(local, input, record.Message.Headers, record.Topic));
                return;
            }
            MonitorMetrics.RoutedRepartition.Inc();
            Produce(_topics.RepartitionTopic, key, StateCodec.Encode(input), null);
            return;
        }
        var (headers, dead) = DeadLetter.Prepare(record.Message.Headers, record.TopicPartitionOffset, value, parsed.ErrorCode!, parsed.Reason!,
            parser.SourceTopic);
        Produce(_topics.Dlq, record.Message.Key, dead, headers);
    }

    private void Process(ConsumeResult<byte[], byte[]> record)
    {
        var partition = _partitions[record.Partition.Value];
        var input = StreamInput.Read(record.Message.Value ?? []);
        if (input.UnreadableReason is { } why)
        {
            // Only this service writes the topic; an unreadable record is a bug or corruption, and must not stop the others.
            var (headers, dead) = DeadLetter.Prepare(record.Message.Headers, record.TopicPartitionOffset, record.Message.Value ?? [],
                StreamInput.InvalidRecord, why, record.Topic);
            Produce(_topics.Dlq, record.Message.Key, dead, headers);
            return;
        }
        _lane.Add(new(partition, input, record.Message.Headers, record.Topic));
    }

    private void Produce(string topic, byte[]? key, byte[]? value, Headers? headers, int partition = -1)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value!, Headers = headers };
        while (true)
        {
            try
            {
                if (partition < 0) _producer.Produce(topic, message, _onDelivery);
                else _producer.Produce(new TopicPartition(topic, partition), message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(20)); // the broker is behind: wait for deliveries, then retry
            }
        }
    }

    /// <summary>State to the changelog, every produced record acknowledged, then the offsets of what was processed.</summary>
    private void Commit()
    {
        // On the lane, after every record handed over so far: the offsets below are all processed.
        _lane.Run(() =>
        {
            foreach (var (id, partition) in _partitions)
            {
                partition.Engine.FlushState();
                partition.Entries.DrainChanges((key, value) => Produce(_changelog, Encoding.UTF8.GetBytes(key), value, null, id));
            }
        });
        var undelivered = _producer.Flush(FlushTimeout);
        if (undelivered > 0) throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"{undelivered} records not acknowledged within {FlushTimeout.TotalSeconds:N0} s"));
        if (Volatile.Read(ref _deliveryError) is { } failed) throw new KafkaException(failed);
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

    private void OnAssigned(List<TopicPartition> assigned)
    {
        _status.Set("REBALANCING");
        if (assigned.Any(tp => tp.Topic == _topics.RepartitionTopic)) _repartitionPartitions = RepartitionPartitions();
        foreach (var tp in assigned)
            if (tp.Topic == _topics.RepartitionTopic)
            {
                var started = Environment.TickCount64;
                var entries = Restore(tp.Partition.Value);
                _lane.Run(() => _partitions[tp.Partition.Value] = new EnginePartition(this, entries));
                _logger.LogInformation("Partition {Partition} restored: {Entries} state entries in {Ms} ms", tp.Partition.Value, entries.Count,
                    Environment.TickCount64 - started);
            }
        _status.Set("RUNNING");
    }

    private void OnRevoked(List<TopicPartitionOffset> revoked)
    {
        Commit();
        Forget(revoked);
    }

    /// <summary>Partitions no longer ours: their engines and uncommitted offsets go (their next owner replays from the last commit).</summary>
    private void Forget(List<TopicPartitionOffset> partitions)
    {
        foreach (var tp in partitions) _processed.Remove((tp.Topic, tp.Partition.Value));
        _lane.Run(() =>
        {
            foreach (var tp in partitions)
                if (tp.Topic == _topics.RepartitionTopic && _partitions.Remove(tp.Partition.Value, out var gone)) gone.Engine.Close();
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

    /// <summary>A partition's state as of its changelog's end (Streamiz keeps it the same way: key UTF-8, value bytes, null = deleted).</summary>
    private ChangeloggedEntries Restore(int partition)
    {
        var entries = new ChangeloggedEntries();
        var tp = new TopicPartition(_changelog, partition);
        var marks = _restorer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
        if (marks.High.Value <= marks.Low.Value) return entries;
        _restorer.Assign(new TopicPartitionOffset(tp, marks.Low));
        try
        {
            var deadline = Environment.TickCount64 + (long)RestoreTimeout.TotalMilliseconds;
            var last = marks.Low.Value - 1;
            while (last < marks.High.Value - 1)
            {
                var record = _restorer.Consume(TimeSpan.FromMilliseconds(500));
                if (record is null)
                {
                    if (Environment.TickCount64 > deadline)
                        throw new TimeoutException($"restoring {tp}: at offset {last + 1} of {marks.High.Value} after {RestoreTimeout.TotalSeconds:N0} s");
                    continue;
                }
                entries.Restore(Encoding.UTF8.GetString(record.Message.Key), record.Message.Value);
                last = record.Offset.Value;
            }
        }
        finally
        {
            _restorer.Unassign();
        }
        return entries;
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
        _metadata.Dispose();
        _consumer.Dispose();
        _restorer.Dispose();
        _producer.Dispose();
    }

    /// <summary>One by-account partition: its state, its engine, and where the engine's outputs go.</summary>
    private sealed class EnginePartition : IEngineOutput
    {
        private readonly PartitionProcessor _owner;

        public EnginePartition(PartitionProcessor owner, ChangeloggedEntries entries)
        {
            _owner = owner;
            Entries = entries;
            // Ledgers written through: here a put is a dictionary write and the changelog keeps the last value per key until
            // the commit anyway, so holding each changed ledger as a live object until then would only promote it into the
            // older GC generations (longer GC pauses, a larger heap, more bytes per message, nothing gained in throughput).
            // Under Streamiz a put is a changelog record, so it keeps writing behind.
            Engine = new ReputationEngine(owner._settings, entries, this, ledgersWriteThrough: true);
        }

        public ChangeloggedEntries Entries { get; }
        public ReputationEngine Engine { get; }

        /// <summary>The headers and topic of the record being processed (a rejected record keeps them and names it).</summary>
        private Headers? _currentHeaders;
        private string? _currentTopic;

        public void Process(StreamInput input, Headers? headers, string topic)
        {
            (_currentHeaders, _currentTopic) = (headers, topic);
            Engine.Process(input);
            (_currentHeaders, _currentTopic) = (null, null);
        }

        public void Emit(string key, StreamOutput output) =>
            _owner.Produce(StreamOutputs.Topic(output, _owner._topics), Encoding.UTF8.GetBytes(key), StreamOutputs.Encode(output), null);

        public void Reject(string key, byte[] value, string reason) =>
            _owner.Produce(_owner._topics.Dlq, Encoding.UTF8.GetBytes(key), value,
                DeadLetterHeaders.Create(_currentHeaders, reason, _currentTopic ?? _owner._topics.RepartitionTopic));
    }
}
