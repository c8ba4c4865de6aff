using ReputationMonitor.Core;
using Microsoft.Extensions.Logging;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// Publishes what the status machines and rules decide — transitions (with the account's statistics after them) and
/// findings — counted, logged and timed; and keeps the entities under review, whose deadlines the tick checks.
/// </summary>
internal sealed class StatusPublisher(ReputationEngineSettings settings, PartitionEntities entities, ReputationStateStore state,
    RulesInForce rules, OutputBuffer outputs)
{
    public const string AccountScope = "account";

    public HashSet<string> AccountsUnderReview { get; } = new(StringComparer.Ordinal);
    public HashSet<DimensionKey> DimensionsUnderReview { get; } = [];

    /// <summary>Stores the account; publishes its transition, if any, and its statistics after it.</summary>
    public void Publish(AccountAggregate account, WindowSnapshot window, Decision? decision)
    {
        entities.Store(account);
        if (decision is null) return;
        if (account.State.Status == EntityStatus.UnderReview) AccountsUnderReview.Add(account.AccountId);
        else AccountsUnderReview.Remove(account.AccountId);
        Transition(decision, account.AccountId);
        outputs.Emit(account.AccountId, new StreamOutput
        {
            Snapshot = AccountSnapshot.From(account, window, rules.Settings.Thresholds, state.StreamTimeMs),
        });
    }

    /// <summary>A configuration set's or tenant's own transition (its windows are stored by the caller).</summary>
    public void Publish(DimensionKey key, EntityWindows dimension, Decision? decision)
    {
        if (decision is null) return;
        if (dimension.State!.Status == EntityStatus.UnderReview) DimensionsUnderReview.Add(key);
        else DimensionsUnderReview.Remove(key);
        Transition(decision, key.AccountId);
    }

    /// <returns>Whether there were any.</returns>
    public bool Publish(IReadOnlyList<Decision> findings)
    {
        foreach (var f in findings)
        {
            EngineMetrics.Findings.WithLabels(f.Pillar, f.Rule.Split(':')[0], f.Provider ?? "none").Inc();
            outputs.Emit($"{f.Scope}:{f.Entity}", new StreamOutput { Decision = f });
        }
        return findings.Count > 0;
    }

    private void Transition(Decision decision, string accountId)
    {
        EngineMetrics.Decisions.WithLabels(decision.Scope, decision.Rule, decision.To).Inc();
        // Event time → decision, for decisions a record caused (not those of timers or operators).
        if (outputs.CauseEventMs is { } at)
            EngineMetrics.DecisionLatency.WithLabels(decision.Scope)
                .Observe(Math.Max(0, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds() - at) / 1000.0);
        Log(decision, accountId);
        outputs.Emit($"{decision.Scope}:{decision.Entity}", new StreamOutput { Decision = decision });
    }

    /// <summary>A transition in the log, scoped by the account (and the message that caused it, if one did).</summary>
    private void Log(Decision decision, string accountId)
    {
        if (decision.Kind != Decision.TransitionKind || !settings.Logger.IsEnabled(LogLevel.Information)) return;
        // A message-template scope: structured in the JSON logs, readable in the text ones.
        using (settings.Logger.BeginScope("account {AccountId} decision {DecisionId} message {MessageId}", accountId, decision.DecisionId,
                   outputs.CauseMessageId ?? "-"))
            settings.Logger.LogInformation("{Scope} {Entity}: {From} -> {To} by {Rule}", decision.Scope, decision.Entity, decision.From,
                decision.To, decision.Rule);
    }
}
