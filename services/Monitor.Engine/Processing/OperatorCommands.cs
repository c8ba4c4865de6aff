using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Engine.Processing;

/// <summary>An operator's pause, resume, resolve, extend, suppress or unsuppress, applied by the task that owns the account.</summary>
internal sealed class OperatorCommands(ReputationEngineSettings settings, PartitionEntities entities, RulesInForce rules, StatusPublisher statuses,
    SuppressionList suppressions, OutputBuffer outputs)
{
    public void Apply(OperatorCommand command)
    {
        // The door checked it already; one written to the by-account topic directly is checked here.
        if (CommandGate.Refusal(command, settings) is { } refusal)
        {
            EngineMetrics.CommandsRefused.WithLabels(refusal.Code).Inc();
            EngineMetrics.DeadLetters.WithLabels(refusal.Code, settings.Topics.RepartitionTopic).Inc();
            outputs.Reject(command.Entity ?? "", JsonSerializer.SerializeToUtf8Bytes(command, CoreJsonContext.Default.OperatorCommand),
                $"{refusal.Code}: {refusal.Detail}");
            return;
        }
        switch (command.Type)
        {
            case OperatorCommand.Suppress:
                var reason = command.SuppressionReason ?? SuppressionChange.Manual;
                foreach (var email in (command.Emails ?? []).Append(command.Email).OfType<string>())
                    suppressions.Add(command.Entity, EmailAddress.Normalize(email), reason, command.At, null, command.Actor, command.Reason,
                        command.CommandId);
                return;
            case OperatorCommand.Unsuppress when command.Email is not null:
                suppressions.Remove(command.Entity, EmailAddress.Normalize(command.Email), command.At, command.Actor, command.Reason, command.CommandId);
                return;
        }
        if (command.Scope != CommandRules.AccountScope)
        {
            ApplyToDimension(command);
            return;
        }
        var account = entities.Account(command.Entity);
        var window = entities.Window(account);
        var decision = rules.Machine.OnCommand(StatusPublisher.AccountScope, account.AccountId, account.State, window, account.Samples, command,
            settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        EngineMetrics.Commands.WithLabels(command.Type, decision is null ? "no_change" : "applied").Inc();
        // Stored even without a change: the command id is remembered all the same.
        statuses.Publish(account, window, decision);
    }

    /// <summary>A configuration set's or tenant's own status: its review resolved or extended, or it paused or resumed.</summary>
    private void ApplyToDimension(OperatorCommand command)
    {
        var account = CommandRules.AccountOf(command);
        var key = new DimensionKey(account, Dimensions.KindOfStatusScope(command.Scope)!, command.Entity[(account.Length + 1)..]);
        // Nothing to change in a configuration set or tenant this partition never saw.
        if (entities.FindDimension(key) is not { } dimension)
        {
            EngineMetrics.Commands.WithLabels(command.Type, "no_change").Inc();
            return;
        }
        var decision = rules.Machine.OnCommand(command.Scope, key.Entity, dimension.State ??= new EntityState(), entities.Window(key, dimension), [],
            command, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        EngineMetrics.Commands.WithLabels(command.Type, decision is null ? "no_change" : "applied").Inc();
        entities.Store(key, dimension); // the command id is remembered even without a change
        statuses.Publish(key, dimension, decision);
    }
}
