using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Sends an operator's command to the stream and waits up to 10 s for the stream's answer to be written — told by
/// <see cref="CommandOutcomes"/> (PostgreSQL <c>LISTEN</c>), not by polling — so the caller usually sees the new status at
/// once (200); a command that changes nothing, or an answer that takes longer, gets 202 with the command id and the link
/// to follow. Every command is written to the audit log first.
/// </summary>
public static class OperatorCommands
{
    public const int MaxReasonLength = CommandRules.MaxReasonLength;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static Dictionary<string, string[]> RequireReason(string? reason)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(reason)) errors["reason"] = ["reason is required: say why, it goes into the audit log."];
        else if (!CommandRules.IsText(reason, MaxReasonLength))
            errors["reason"] = [$"reason must be at most {MaxReasonLength} characters, without control characters other than line breaks and tabs."];
        return errors;
    }

    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>>> SendAsync(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, OperatorCommand command, CancellationToken ct)
    {
        if (await SendAndWaitAsync(publisher, store, outcomes, command, ct)
            && await store.GetDecisionForCommandAsync(command.CommandId, ct) is { } d)
            return TypedResults.Ok(new CommandResult(command.CommandId, true, d.ToStatus, d.DecisionId.ToString(), d.Rule));
        return TypedResults.Accepted($"/v1/accounts/{CommandRules.AccountOf(command)}", new CommandResult(command.CommandId, false, null, null, null));
    }

    /// <summary>Audit, publish, and wait for the stream's answer to the command to be written.</summary>
    /// <returns>Whether it was, within the wait.</returns>
    /// <param name="wait">False: sent, not waited for (the caller knows the stream will change nothing).</param>
    public static async Task<bool> SendAndWaitAsync(CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes,
        OperatorCommand command, CancellationToken ct, bool wait = true)
    {
        using var answer = outcomes.Expect(command.CommandId); // before publishing: a fast answer is not missed
        await store.AuditAsync(command.Actor, command.Type, command.Scope, command.Entity, command.Reason,
            JsonSerializer.Serialize(command, Core.CoreJsonContext.Default.OperatorCommand), ct);
        await publisher.PublishAsync(command, ct);
        return wait && await answer.WaitAsync(Wait, ct);
    }

    public static OperatorCommand New(string type, string entity, ClaimsPrincipal user, string reason, TimeProvider clock) => new()
    {
        CommandId = Guid.NewGuid().ToString(),
        Type = type,
        Scope = "account",
        Entity = entity,
        Actor = Actor(user),
        Reason = reason.Trim(),
        At = clock.GetUtcNow(),
    };
}
