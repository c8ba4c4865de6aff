using ReputationMonitor.Configuration;

namespace ReputationMonitor.Kafka;

/// <summary>Every topic the service reads or writes, including the streams' internal ones, in one place.</summary>
public sealed class Topics(KafkaOptions options)
{
    public const string ByAccountRepartition = "by-account";
    /// <summary>One store for message ledgers and account aggregates (Streamiz attaches one store per transformer).</summary>
    public const string StateStore = "reputation-state";

    public TopicNames Names => options.Topics;
    public string SendAttempts => options.Topics.SendAttempts;
    public string Events => options.Topics.Events;
    public string Actions => options.Topics.Actions;
    public string Dlq => options.Topics.Dlq;
    public string Suppressions => options.Topics.Suppressions;
    public string AccountStats => options.Topics.AccountStats;
    public string EntityStats => options.Topics.EntityStats;
    public string Commands => options.Topics.Commands;

    public string RepartitionTopic => $"{options.ApplicationId}-{ByAccountRepartition}-repartition";
    public string Changelog(string store) => $"{options.ApplicationId}-{store}-changelog";

    public IReadOnlyList<TopicSpec> All() =>
    [
        new(SendAttempts, Compacted: false),
        new(Events, Compacted: false),
        new(Actions, Compacted: false),
        new(Dlq, Compacted: false),
        new(Suppressions, Compacted: false),
        new(AccountStats, Compacted: true),
        new(EntityStats, Compacted: true),
        new(Commands, Compacted: false),
        new(RepartitionTopic, Compacted: false),
        new(Changelog(StateStore), Compacted: true),
    ];
}

public sealed record TopicSpec(string Name, bool Compacted);
