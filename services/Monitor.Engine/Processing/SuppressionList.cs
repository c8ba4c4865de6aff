using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>The accounts' suppression lists in the partition's state: each change is stored and published once.</summary>
internal sealed class SuppressionList(ReputationStateStore state, OutputBuffer outputs)
{
    public bool Contains(string accountId, string email) => state.HasSuppression(accountId, email);

    /// <summary>Adds an address (once) and publishes the change.</summary>
    public void Add(string accountId, string email, string reason, DateTimeOffset at, string? messageId, string actor, string? note,
        string? commandId = null)
    {
        if (state.HasSuppression(accountId, email)) return;
        var entry = new SuppressionChange
        {
            AccountId = accountId, Email = email, Action = SuppressionChange.Added, Reason = reason,
            At = at, MessageId = messageId, Actor = actor, Note = note, CommandId = commandId,
        };
        state.PutSuppression(entry);
        EngineMetrics.SuppressionChanges.WithLabels(SuppressionChange.Added, reason).Inc();
        outputs.Emit(Key(accountId, email), new StreamOutput { Suppression = entry });
    }

    /// <summary>Removes an address an operator asked to remove (if listed) and publishes the change.</summary>
    public void Remove(string accountId, string email, DateTimeOffset at, string actor, string? note, string? commandId)
    {
        if (!state.HasSuppression(accountId, email)) return;
        state.DeleteSuppression(accountId, email);
        EngineMetrics.SuppressionChanges.WithLabels(SuppressionChange.Removed, SuppressionChange.Manual).Inc();
        outputs.Emit(Key(accountId, email), new StreamOutput
        {
            Suppression = new SuppressionChange
            {
                AccountId = accountId, Email = email, Action = SuppressionChange.Removed, Reason = SuppressionChange.Manual,
                At = at, Actor = actor, Note = note, CommandId = commandId,
            },
        });
    }

    /// <summary>The key of a suppression change on reputation.suppressions.</summary>
    private static string Key(string accountId, string email) => $"{accountId}/{email}";
}
