using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

/// <summary>Account operations: what a sending gateway asks before accepting mail, and an operator's pause and resume of an
/// account, or of one of its configuration sets or tenants (their own status: mail through them stops, the rest flows).</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Viewer);
        read.MapGet("/{accountId}/sending-status", GetSendingStatus).WithName("GetSendingStatus");
        var write = app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Operator);
        write.MapPost("/{accountId}/pause", Pause).WithName("PauseAccount");
        write.MapPost("/{accountId}/resume", Resume).WithName("ResumeAccount");
        var dims = app.MapGroup("/v1").WithTags("Dimensions").RequireAuthorization(Policies.Operator);
        foreach (var (route, scope, name) in new[] { ("configuration-sets", "configuration-set", "ConfigurationSet"), ("tenants", "tenant", "Tenant") })
        {
            dims.MapPost($"/{route}/{{accountId}}/{{value}}/pause", (CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock,
                    HttpContext http, string accountId, string value, [FromBody] ReasonRequest? body, CancellationToken ct) =>
                    PauseEntity(publisher, store, outcomes, clock, http, scope, $"{accountId}/{value}", body, ct))
                .WithName($"Pause{name}");
            dims.MapPost($"/{route}/{{accountId}}/{{value}}/resume", (CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock,
                    HttpContext http, string accountId, string value, [FromBody] ReasonRequest? body, CancellationToken ct) =>
                    ResumeEntity(publisher, store, outcomes, clock, http, scope, $"{accountId}/{value}", body, ct))
                .WithName($"Resume{name}");
        }
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

    public static Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Pause(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct) =>
        PauseEntity(publisher, store, outcomes, clock, http, CommandRules.AccountScope, accountId, body, ct);

    public static Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Resume(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct) =>
        ResumeEntity(publisher, store, outcomes, clock, http, CommandRules.AccountScope, accountId, body, ct);

    /// <param name="entity">An account id, or <c>account/value</c> for a configuration set or tenant.</param>
    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> PauseEntity(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string scope, string entity,
        ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync(scope, entity, ct))?.Status == EntityStatus.Paused)
            return ApiResults.Conflict($"{Named(scope, entity)} is already paused.");
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes, Command(OperatorCommand.Pause, scope, entity, http, body!.Reason!, clock), ct));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> ResumeEntity(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string scope, string entity,
        ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync(scope, entity, ct))?.Status != EntityStatus.Paused)
            return ApiResults.Conflict($"{Named(scope, entity)} is not paused; only a paused {scope} can be resumed.");
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes, Command(OperatorCommand.Resume, scope, entity, http, body!.Reason!, clock), ct));
    }

    private static OperatorCommand Command(string type, string scope, string entity, HttpContext http, string reason, TimeProvider clock)
    {
        var command = OperatorCommands.New(type, entity, http.User, reason, clock);
        command.Scope = scope;
        return command;
    }

    private static string Named(string scope, string entity) => scope == CommandRules.AccountScope ? $"Account '{entity}'" : $"{scope} '{entity}'";

    internal static Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>> Widen(
        Results<Ok<CommandResult>, Accepted<CommandResult>> r) => r.Result switch
    {
        Ok<CommandResult> ok => ok,
        Accepted<CommandResult> accepted => accepted,
        _ => throw new InvalidOperationException("unexpected result"),
    };
}
