using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine;

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
        // A record no reader can take (not written by this service: the topics are ours, but a stray producer can write to
        // them) throws here, and the worker isolates it (projection_failures and the DLQ) like one the database refuses.
        foreach (var r in batch)
        {
            if (r.Topic == topics.Actions) decisions.Add(Read(r, CoreJsonContext.Default.Decision));
            else if (r.Topic == topics.Suppressions) suppressions.Add(Read(r, CoreJsonContext.Default.SuppressionChange));
            else if (r.Topic == topics.EntityStats) entities.Add(Read(r, CoreJsonContext.Default.EntitySnapshot));
            else snapshots.Add(Read(r, CoreJsonContext.Default.AccountSnapshot));
        }
        if (decisions.Count > 0) await Store.ApplyDecisionsAsync(decisions, ct);
        if (snapshots.Count > 0) await Store.UpsertAccountStatsAsync(snapshots, ct);
        if (entities.Count > 0) await Store.UpsertEntityStatsAsync(entities, ct);
        if (suppressions.Count > 0) await Store.ApplySuppressionsAsync(suppressions, ct);
    }

    private static T Read<T>(ConsumeResult<byte[], byte[]> r, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(r.Message.Value ?? [], type) ?? throw new JsonException($"{typeof(T).Name}: null");
}
