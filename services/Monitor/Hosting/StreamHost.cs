using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.SerDes;
using ReputationMonitor.Engine;
using ReputationMonitor.PartitionRuntime;
using ReputationMonitor.StreamizRuntime;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Hosting;

/// <summary>
/// Hosts the stream: provisions topics, then runs the topology — on Streamiz (<see cref="KafkaStream"/>) or, with
/// <c>Kafka:Runtime = Partition</c>, on the <see cref="PartitionProcessor"/> (its own thread) — and closes it on shutdown.
/// </summary>
public sealed class StreamHost(
    KafkaConnection kafka, TopicProvisioner provisioner, StartupGate gate, IOptions<KafkaOptions> options,
    ReputationEngineSettings settings, StreamStatus status, ILoggerFactory loggerFactory, ILogger<StreamHost> logger) : BackgroundService
{
    private KafkaStream? _stream;
    private PartitionProcessor? _processor;
    private Task? _processing;
    private readonly CancellationTokenSource _stopProcessor = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            await provisioner.EnsureAsync(settings.Topics.All(), o.DefaultPartitions, o.ReplicationFactor, stoppingToken);
            gate.OpenTopics();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            gate.Fail(e);
            status.Fail($"topic provisioning failed: {e.Message}");
            logger.LogCritical(e, "Could not provision Kafka topics at {BootstrapServers}", kafka.BootstrapServers);
            throw;
        }

        if (o.Runtime == StreamRuntime.Partition)
        {
            _processor = new PartitionProcessor(settings, o, kafka.Clients, status, loggerFactory.CreateLogger<PartitionProcessor>());
            logger.LogInformation("Runtime: partition processor");
            // A thread of its own: the loop blocks in Consume, and must not hold a thread-pool thread.
            _processing = Task.Factory.StartNew(() => _processor.Run(_stopProcessor.Token), TaskCreationOptions.LongRunning);
            return;
        }
        logger.LogInformation("Runtime: Streamiz");
        StreamizLogging.Factory.Attach(loggerFactory);
        var config = CreateConfig(o, kafka.Clients, logger);
        try
        {
            _stream = new KafkaStream(ReputationTopology.Build(settings), config);
            _stream.StateChanged += (_, now) =>
            {
                status.Set(now.ToString());
                logger.LogInformation("Stream state {State}", now.ToString());
            };
            await _stream.StartAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status.Fail(e.Message);
            logger.LogCritical(e, "The stream processor could not start");
            throw;
        }
    }

    /// <summary>The stream's configuration (also what the end-to-end benchmark runs with).</summary>
    public static StreamConfig<ByteArraySerDes, ByteArraySerDes> CreateConfig(KafkaOptions o, KafkaClients clients, ILogger logger) => clients.ConfigureStream(new MonitorStreamConfig
    {
        ApplicationId = o.ApplicationId,
        AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
        Guarantee = ProcessingGuarantee.AT_LEAST_ONCE,
        CommitIntervalMs = o.CommitIntervalMs,
        SessionTimeoutMs = o.SessionTimeoutMs,
        NumStreamThreads = o.StreamThreads,
        // An idle partition's fetch waits at most this long for data (real brokers answer as soon as data arrives;
        // the embedded broker waits it out): the default 500 ms would be most of the event-to-decision latency there.
        FetchWaitMaxMs = 50,
        // CooperativeSticky has an open issue of stalled consumers after rebalance.
        PartitionAssignmentStrategy = Confluent.Kafka.PartitionAssignmentStrategy.Range,
        StateDir = Path.Combine(Path.GetTempPath(), "reputation-monitor-state", o.ApplicationId),
        Logger = StreamizLogging.Factory,
        // Processing errors are caught per record in the transformers (→ DLQ); anything reaching here is
        // infrastructure, where failing loudly (readiness red) beats silently skipping records.
        InnerExceptionHandler = e =>
        {
            logger.LogError(e, "Stream processing failed");
            return ExceptionHandlerResponse.FAIL;
        },
    });

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stream?.Dispose(); // closes the consumer (leaves the group) after a final commit
        if (_processing is not null)
        {
            await _stopProcessor.CancelAsync();
            try
            {
                await _processing.WaitAsync(cancellationToken); // final commit, leaves the group
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The partition processor failed while stopping");
            }
            _processor!.Dispose();
        }
        await base.StopAsync(cancellationToken);
        StreamizLogging.Factory.Detach(loggerFactory);
    }
}
