using Confluent.Kafka;
using Confluent.Kafka.Admin;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Kafka;

/// <summary>
/// Makes every topic exist before the streams start. Real Kafka gets CreateTopics (with compaction for
/// state-like topics). The embedded broker has no CreateTopics, so there a metadata request from a
/// producer handle, which is allowed to auto-create, brings each topic into being. Streamiz then finds its
/// internal topics present with the right partition count and does not try to create them.
/// </summary>
public sealed class TopicProvisioner(KafkaConnection kafka, ILogger<TopicProvisioner> logger)
{
    public async Task EnsureAsync(IReadOnlyList<TopicSpec> topics, int partitions, short replicationFactor, CancellationToken ct)
    {
        using var admin = new AdminClientBuilder(kafka.Clients.Configure(new AdminClientConfig())).Build();
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
            .Select(t => t.Topic).ToHashSet();
        var missing = topics.Where(t => !existing.Contains(t.Name)).ToList();
        if (missing.Count == 0) return;

        if (!kafka.Embedded)
        {
            try
            {
                await admin.CreateTopicsAsync(missing.Select(t => new TopicSpecification
                {
                    Name = t.Name,
                    NumPartitions = partitions,
                    ReplicationFactor = replicationFactor,
                    Configs = t.Compacted ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
                }), new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) });
                logger.LogInformation("Created topics {Topics}", string.Join(", ", missing.Select(t => t.Name)));
                return;
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                return;
            }
            catch (KafkaException e)
            {
                // A broker without CreateTopics (the embedded broker run as its own process) ends up here.
                logger.LogInformation("CreateTopics is not available ({Reason}); creating topics by metadata auto-creation", e.Error.Reason);
            }
        }

        AutoCreate(missing.Select(t => t.Name).ToList(), ct);
    }

    private void AutoCreate(List<string> names, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<Null, Null>(kafka.Clients.Configure(new ProducerConfig
        {
            AllowAutoCreateTopics = true,
        })).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var name in names)
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var md = admin.GetMetadata(name, TimeSpan.FromSeconds(5));
                var t = md.Topics.FirstOrDefault(x => x.Topic == name);
                if (t is { Error.Code: ErrorCode.NoError } && t.Partitions.Count > 0) break;
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"topic '{name}' could not be created: {t?.Error.Reason ?? "no metadata"}");
                Thread.Yield();
            }
        }
        logger.LogInformation("Auto-created topics {Topics}", string.Join(", ", names));
    }
}
