namespace ReputationMonitor.Engine;

/// <summary>Every topic the service reads or writes, including the streams' internal ones, in one place.</summary>
public sealed class Topics(TopicNames names, string applicationId)
{
    public const string ByAccountRepartition = "by-account";
    /// <summary>One store for message ledgers and account aggregates (Streamiz attaches one store per transformer).</summary>
    public const string StateStore = "reputation-state";

    public TopicNames Names => names;
    public string SendAttempts => names.SendAttempts;
    public string Events => names.Events;
    public string Actions => names.Actions;
    public string Dlq => names.Dlq;
    public string Suppressions => names.Suppressions;
    public string AccountStats => names.AccountStats;
    public string EntityStats => names.EntityStats;
    public string Commands => names.Commands;
    public string FeedbackReports => names.FeedbackReports;
    public string DmarcReports => names.DmarcReports;

    public string RepartitionTopic => $"{applicationId}-{ByAccountRepartition}-repartition";
    public string Changelog(string store) => $"{applicationId}-{store}-changelog";

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
        new(FeedbackReports, Compacted: false),
        new(DmarcReports, Compacted: false),
        new(RepartitionTopic, Compacted: false),
        new(Changelog(StateStore), Compacted: true),
    ];
}

public sealed record TopicSpec(string Name, bool Compacted);
