using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Sends an operator's command to the stream and waits briefly for its decision to be recorded, so the
/// caller usually sees the new status at once (200); if it takes longer the answer is 202 with the command id.
/// Every command is written to the audit log first.
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
        CommandPublisher publisher, OperatorStore store, OperatorCommand command, CancellationToken ct)
    {
        await store.AuditAsync(command.Actor, command.Type, command.Scope, command.Entity, command.Reason,
            JsonSerializer.Serialize(command, Core.CoreJsonContext.Default.OperatorCommand), ct);
        await publisher.PublishAsync(command, ct);

        var until = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < until)
        {
            if (await store.GetDecisionForCommandAsync(command.CommandId, ct) is { } d)
                return TypedResults.Ok(new CommandResult(command.CommandId, true, d.ToStatus, d.DecisionId.ToString(), d.Rule));
            await Task.Delay(100, ct); // polling the projection for the command's decision
        }
        return TypedResults.Accepted($"/v1/accounts/{command.Entity}", new CommandResult(command.CommandId, false, null, null, null));
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
