using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;

namespace ReputationMonitor.Persistence;

/// <summary>Projects decisions (<c>reputation.actions</c>), account and entity statistics into PostgreSQL.</summary>
public sealed class ProjectionWorker(
    KafkaConnection kafka, StartupGate gate, Topics topics, IOptions<KafkaOptions> options, ProjectionStore store,
    DeadLetterPublisher deadLetters, ILogger<ProjectionWorker> logger) : BatchConsumerWorker(kafka, gate, store, deadLetters, logger)
{
    protected override string GroupId => $"{options.Value.ApplicationId}-projections";
    protected override IReadOnlyList<string> SourceTopics => [topics.Actions, topics.AccountStats, topics.EntityStats, topics.Suppressions];
    protected override string Kind => "projection";

    protected override async Task WriteAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct)
    {
        var decisions = new List<Decision>();
        var snapshots = new List<AccountSnapshot>();
        var entities = new List<EntitySnapshot>();
        var suppressions = new List<SuppressionChange>();
        foreach (var r in batch)
        {
            try
            {
                if (r.Topic == topics.Actions)
                {
                    if (JsonSerializer.Deserialize(r.Message.Value, CoreJsonContext.Default.Decision) is { } d) decisions.Add(d);
                }
                else if (r.Topic == topics.Suppressions)
                {
                    if (JsonSerializer.Deserialize(r.Message.Value, CoreJsonContext.Default.SuppressionChange) is { } sc) suppressions.Add(sc);
                }
                else if (r.Topic == topics.EntityStats)
                {
                    if (JsonSerializer.Deserialize(r.Message.Value, CoreJsonContext.Default.EntitySnapshot) is { } en) entities.Add(en);
                }
                else if (JsonSerializer.Deserialize(r.Message.Value, CoreJsonContext.Default.AccountSnapshot) is { } s)
                {
                    snapshots.Add(s);
                }
            }
            catch (JsonException e)
            {
                // Not written by this service (the topics are ours, but a stray producer can write to them).
                Observability.MonitorMetrics.ProjectionErrors.WithLabels("unreadable_record").Inc();
                logger.LogError("Unreadable record on {Topic} [{Partition}] @{Offset}: {Error}", r.Topic, r.Partition.Value, r.Offset.Value, e.Message);
            }
        }
        if (decisions.Count > 0) await Store.ApplyDecisionsAsync(decisions, ct);
        if (snapshots.Count > 0) await Store.UpsertAccountStatsAsync(snapshots, ct);
        if (entities.Count > 0) await Store.UpsertEntityStatsAsync(entities, ct);
        if (suppressions.Count > 0) await Store.ApplySuppressionsAsync(suppressions, ct);
    }
}
