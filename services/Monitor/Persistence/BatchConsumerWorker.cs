using ReputationMonitor.Kafka;
using Confluent.Kafka;

namespace ReputationMonitor.Persistence;

/// <summary>
/// Consume → batch → write → commit, for projections into PostgreSQL. Offsets are committed only after
/// a batch is written, and a failed write is retried (with backoff) until it succeeds: consumption pauses
/// while the database is away, and nothing is lost. Writers must be idempotent (replays after a crash).
/// </summary>
public abstract class BatchConsumerWorker(
    KafkaConnection kafka, StartupGate gate, Persistence.ProjectionStore store, DeadLetterPublisher deadLetters, ILogger logger) : BackgroundService
{
    /// <summary>Where the worker writes (and keeps what it cannot write).</summary>
    protected Persistence.ProjectionStore Store { get; } = store;

    /// <summary>Where records no writer can ever take go, with their reason.</summary>
    protected DeadLetterPublisher DeadLetters { get; } = deadLetters;

    private const int MaxBatch = 1000;
    private static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(50);

    protected abstract string GroupId { get; }
    protected abstract IReadOnlyList<string> SourceTopics { get; }
    protected abstract string Kind { get; }
    protected abstract Task WriteAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct);

    /// <summary>Connection losses and timeouts: the database will take the record later.</summary>
    private static bool IsTransient(Exception e) =>
        (e is Npgsql.NpgsqlException && !IsPermanent(e)) || e is System.Net.Sockets.SocketException or TimeoutException;

    /// <summary>
    /// A record that can never be written: kept in <c>projection_failures</c> (retried while the database is away), then sent
    /// to the DLQ (given up, and logged, if Kafka refuses it for good — the row is kept), so the worker goes on.
    /// </summary>
    private async Task IsolateWithRetryAsync(ConsumeResult<byte[], byte[]> record, string? sqlState, string detail, CancellationToken ct)
    {
        var reason = $"projection_failed: {detail}";
        for (var wait = 200; ; wait = Math.Min(wait * 2, 5000))
        {
            try
            {
                await Store.RecordFailureAsync(Kind, record.Topic, record.Partition.Value, record.Offset.Value,
                    record.Message.Key is { } key ? Printable(key) : null, reason, sqlState, Printable(record.Message.Value ?? []), ct);
                break;
            }
            catch (Exception e) when (IsTransient(e))
            {
                Failing = true;
                logger.LogWarning("{Worker} could not record the failure yet ({Error}); retrying", GetType().Name, e.Message);
                await Task.Delay(wait, ct);
            }
        }
        try
        {
            await DeadLetters.PublishAsync(record, "projection_failed", reason, ct);
        }
        catch (KafkaException e)
        {
            logger.LogError("{Worker}: the isolated record could not be sent to the DLQ ({Reason}); it is kept in projection_failures",
                GetType().Name, e.Error.Reason);
        }
    }

    /// <summary>Text PostgreSQL accepts whatever the bytes were (a record refused for its NUL must not be refused again).</summary>
    private static string Printable(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes).Replace('\0', '\uFFFD');

    /// <summary>
    /// Errors no retry can fix: the record itself breaks a constraint (class 23) or carries data the schema refuses (class
    /// 22). Connection losses, timeouts and the rest are transient and retried.
    /// </summary>
    public static bool IsPermanent(Exception e) => e is Npgsql.PostgresException { SqlState: ['2', '2' or '3', ..] };

    /// <summary>True while the last write attempt failed (for readiness).</summary>
    public bool Failing { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken ct)
    {
        await gate.TopicsReady.WaitAsync(ct);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(kafka.Clients.Configure(new ConsumerConfig
            {
                GroupId = GroupId,
                EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
                SessionTimeoutMs = kafka.SessionTimeoutMs,
            }))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal) logger.LogCritical("Fatal Kafka error in {Worker}: {Reason}", GetType().Name, e.Reason);
                else logger.LogWarning("Kafka error in {Worker}: {Reason}", GetType().Name, e.Reason);
            })
            .Build();
        consumer.Subscribe(SourceTopics);
        var batch = new List<ConsumeResult<byte[], byte[]>>(MaxBatch);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                batch.Clear();
                var first = consumer.Consume(ct);
                if (first is null || first.IsPartitionEOF) continue;
                batch.Add(first);
                var until = DateTime.UtcNow + BatchLinger;
                while (batch.Count < MaxBatch && DateTime.UtcNow < until)
                {
                    var next = consumer.Consume(until - DateTime.UtcNow);
                    if (next is null) break;
                    if (!next.IsPartitionEOF) batch.Add(next);
                }
                await WriteWithRetryAsync(batch, ct);
                try
                {
                    consumer.Commit(batch
                        .GroupBy(r => r.TopicPartition)
                        .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
                }
                catch (KafkaException e) when (!e.Error.IsFatal)
                {
                    // The group rebalanced while the batch was written (another instance joined or left): these
                    // partitions may belong to another member now, which reads them again from the last commit and
                    // rewrites the same rows (the writes are idempotent). Uncaught, this would stop the worker for good.
                    logger.LogWarning("{Worker} could not commit after a rebalance ({Reason}); the new owner rewrites the batch",
                        GetType().Name, e.Error.Reason);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: fall through to Close so the group rebalances at once.
        }
        catch (ConsumeException e) when (e.Error.IsFatal)
        {
            logger.LogCritical(e, "{Worker} stopped on a fatal Kafka error", GetType().Name);
            throw;
        }
        finally
        {
            consumer.Close();
        }
    }

    private async Task WriteWithRetryAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await WriteAsync(batch, ct);
                Observability.MonitorMetrics.ProjectionLatency.WithLabels(Kind).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                Observability.MonitorMetrics.ProjectionWrites.WithLabels(Kind).Inc(batch.Count);
                if (Failing) logger.LogInformation("{Worker} writes succeed again", GetType().Name);
                Failing = false;
                return;
            }
            catch (Exception e) when (!IsTransient(e) && e is not OperationCanceledException && batch.Count > 1)
            {
                // One record spoils the batch: write them one by one, so that only the culprit is isolated.
                logger.LogWarning("{Worker}: a batch of {Count} was refused ({Error}); writing its records one at a time", GetType().Name, batch.Count, e.Message);
                foreach (var record in batch) await WriteWithRetryAsync([record], ct);
                return;
            }
            catch (Exception e) when (!IsTransient(e) && e is not OperationCanceledException)
            {
                // Refused by the database for good, or a record no writer can read (a bug or a stray producer): never retried.
                var record = batch[0];
                Observability.MonitorMetrics.ProjectionFailures.WithLabels(Kind).Inc();
                var (sqlState, reason) = e is Npgsql.PostgresException pg ? (pg.SqlState, $"{pg.SqlState}: {pg.MessageText}") : (null, $"{e.GetType().Name}: {e.Message}");
                logger.LogError("{Worker}: {Topic} [{Partition}] @{Offset} can never be written ({Reason}); isolated to projection_failures and the DLQ",
                    GetType().Name, record.Topic, record.Partition.Value, record.Offset.Value, reason);
                await IsolateWithRetryAsync(record, sqlState, reason, ct);
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                Failing = true;
                Observability.MonitorMetrics.ProjectionErrors.WithLabels(Kind).Inc();
                logger.LogWarning("{Worker} could not write {Count} records ({Error}); retrying in {Delay}", GetType().Name, batch.Count, e.Message, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
