using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Observability;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Hosting;

/// <summary>
/// The gauges nobody increments: entities by status (from the status table), entities forecast to cross a threshold (from the
/// published forecasts) and the stream's consumer lag per
/// input topic (committed offsets of its group against the high watermarks). Also exports zeros for the series
/// known to exist, so that rates and alerts work from the first scrape rather than from the first event.
/// </summary>
public sealed class PipelineGauges(
    ReadStore store, KafkaConnection kafka, Topics topics, IOptions<KafkaOptions> options, RuleBook rules, StartupGate gate,
    ILogger<PipelineGauges> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public static void ExportKnownSeries(Topics topics)
    {
        string[] inputs = [topics.SendAttempts, topics.Events];
        foreach (var topic in inputs)
        {
            MonitorMetrics.ConsumerLag.WithLabels(topic).Set(0);
            foreach (var reason in DlqReasons.All) EngineMetrics.DeadLetters.WithLabels(reason, topic);
        }
        foreach (var outcome in Enum.GetNames<JoinOutcome>().Concat(["fallback", "fallback_overflow"]))
            EngineMetrics.JoinOutcomes.WithLabels(outcome.ToLowerInvariant());
        foreach (var scope in RuleDefinition.StatusScopes)
        {
            foreach (var status in EntityStatus.All) MonitorMetrics.Entities.WithLabels(scope, status).Set(0);
            EngineMetrics.DecisionLatency.WithLabels(scope);
        }
        for (var p = 0; p < Core.Model.Providers.All.Count; p++)
            for (var c = 0; c < Core.Model.Counters.Count; c++) EngineMetrics.CountRecipients(p, c, 0);
        foreach (var kind in new[] { "projection", "trace" })
        {
            MonitorMetrics.ProjectionErrors.WithLabels(kind);
            MonitorMetrics.ProjectionWrites.WithLabels(kind);
            MonitorMetrics.ProjectionFailures.WithLabels(kind);
        }
        foreach (var scope in ForecastScopes.Values)
            foreach (var threshold in new[] { "review", "pause" }) MonitorMetrics.ForecastCrossings.WithLabels(scope, threshold).Set(0);
        foreach (var step in ReputationEngine.TickSteps) EngineMetrics.TickErrors.WithLabels(step);
        foreach (var reason in new[] { DlqReasons.UnauthorizedCommand, DlqReasons.InvalidCommand })
        {
            EngineMetrics.CommandsRefused.WithLabels(reason);
            EngineMetrics.DeadLetters.WithLabels(reason, topics.Commands);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ExportKnownSeries(topics);
        await gate.TopicsReady.WaitAsync(stoppingToken);
        using var lagReader = new ConsumerBuilder<Ignore, Ignore>(kafka.Clients.Configure(new ConsumerConfig
        {
            GroupId = options.Value.ApplicationId, // the stream's group: read its committed offsets, never join it
            EnableAutoCommit = false,
        })).Build();
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await UpdateEntities(stoppingToken);
            await UpdateForecasts(stoppingToken);
            UpdateLag(lagReader);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task UpdateEntities(CancellationToken ct)
    {
        try
        {
            var counts = await store.CountEntitiesAsync(ct);
            foreach (var scope in RuleDefinition.StatusScopes)
                foreach (var status in EntityStatus.All)
                    MonitorMetrics.Entities.WithLabels(scope, status)
                        .Set(counts.Where(c => c.Scope == scope && c.Status == status).Sum(c => c.Count));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Entity counts not updated: {Error}", e.Message);
        }
    }

    /// <summary>The forecast gauge's scope label of each entity kind forecast (bounded: five values).</summary>
    private static readonly IReadOnlyDictionary<string, string> ForecastScopes = ForecastRules.Kinds.ToDictionary(k => k,
        k => Core.Aggregation.Dimensions.StatusScope(k) ?? k);

    private async Task UpdateForecasts(CancellationToken ct)
    {
        try
        {
            var counts = await store.CountForecastCrossingsAsync(rules.Current.Forecast.Horizon.TotalHours, ct);
            foreach (var (kind, scope) in ForecastScopes)
            {
                var row = counts.FirstOrDefault(c => c.Kind == kind);
                MonitorMetrics.ForecastCrossings.WithLabels(scope, "review").Set(row.Review);
                MonitorMetrics.ForecastCrossings.WithLabels(scope, "pause").Set(row.Pause);
            }
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Forecast counts not updated: {Error}", e.Message);
        }
    }

    private void UpdateLag(IConsumer<Ignore, Ignore> reader)
    {
        foreach (var topic in new[] { topics.SendAttempts, topics.Events })
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(reader.Handle).Build();
                var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Single().Partitions
                    .Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
                var committed = reader.Committed(partitions, TimeSpan.FromSeconds(5));
                long lag = 0;
                foreach (var c in committed)
                {
                    var marks = reader.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(5));
                    lag += c.Offset == Offset.Unset ? marks.High.Value - marks.Low.Value : Math.Max(0, marks.High.Value - c.Offset.Value);
                }
                MonitorMetrics.ConsumerLag.WithLabels(topic).Set(lag);
            }
            catch (KafkaException e)
            {
                logger.LogWarning("Consumer lag of {Topic} not updated: {Error}", topic, e.Error.Reason);
            }
        }
    }
}
