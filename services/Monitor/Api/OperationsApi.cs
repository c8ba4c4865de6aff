using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

/// <summary>Account operations: what a sending gateway asks before accepting mail, and an operator's pause and resume.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Viewer);
        read.MapGet("/{accountId}/sending-status", GetSendingStatus).WithName("GetSendingStatus");
        var write = app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Operator);
        write.MapPost("/{accountId}/pause", Pause).WithName("PauseAccount");
        write.MapPost("/{accountId}/resume", Resume).WithName("ResumeAccount");
        return app;
    }

    /// <summary>What a sending gateway asks before accepting mail: is the account (and, if given, the configuration
    /// set and tenant the mail would use) allowed to send?</summary>
    public static async Task<Ok<SendingStatusView>> GetSendingStatus(OperatorStore store, string accountId,
        string? configurationSet, string? tenant, CancellationToken ct)
    {
        var scopes = new List<(string Scope, string Entity)> { ("account", accountId) };
        if (!string.IsNullOrEmpty(configurationSet)) scopes.Add(("configuration-set", $"{accountId}/{configurationSet}"));
        if (!string.IsNullOrEmpty(tenant)) scopes.Add(("tenant", $"{accountId}/{tenant}"));
        EntityStatusRow? blocking = null, account = null;
        string? blockingScope = null;
        foreach (var (scope, entity) in scopes)
        {
            var s = await store.GetStatusAsync(scope, entity, ct);
            if (scope == "account") account = s;
            if (s?.Status == EntityStatus.Paused && blocking is null) (blocking, blockingScope) = (s, scope);
        }
        var shown = blocking ?? account;
        var reason = blocking is null ? shown?.Reason : $"{blockingScope} paused: {blocking.Reason}";
        return TypedResults.Ok(new SendingStatusView(accountId, blocking is null, blocking?.Status ?? account?.Status ?? EntityStatus.Healthy,
            reason, ApiResults.Utc(shown?.Since)));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Pause(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync("account", accountId, ct))?.Status == EntityStatus.Paused)
            return ApiResults.Conflict($"Account '{accountId}' is already paused.");
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes,
            OperatorCommands.New(OperatorCommand.Pause, accountId, http.User, body!.Reason!, clock), ct));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Resume(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync("account", accountId, ct))?.Status != EntityStatus.Paused)
            return ApiResults.Conflict($"Account '{accountId}' is not paused; only a paused account can be resumed.");
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes,
            OperatorCommands.New(OperatorCommand.Resume, accountId, http.User, body!.Reason!, clock), ct));
    }

    internal static Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>> Widen(
        Results<Ok<CommandResult>, Accepted<CommandResult>> r) => r.Result switch
    {
        Ok<CommandResult> ok => ok,
        Accepted<CommandResult> accepted => accepted,
        _ => throw new InvalidOperationException("unexpected result"),
    };
}
