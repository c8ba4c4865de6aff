using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

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

    public static async Task<Ok<SendingStatusView>> GetSendingStatus(OperatorStore store, string accountId, CancellationToken ct)
    {
        var s = await store.GetStatusAsync("account", accountId, ct);
        var status = s?.Status ?? EntityStatus.Healthy;
        return TypedResults.Ok(new SendingStatusView(accountId, status != EntityStatus.Paused, status,
            s?.Reason, AccountsApi.Utc(s?.Since)));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Pause(
        CommandPublisher publisher, OperatorStore store, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync("account", accountId, ct))?.Status == EntityStatus.Paused)
            return Conflict($"Account '{accountId}' is already paused.");
        return Widen(await OperatorCommands.SendAsync(publisher, store,
            OperatorCommands.New(OperatorCommand.Pause, accountId, http.User, body!.Reason!, clock), ct));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>>> Resume(
        CommandPublisher publisher, OperatorStore store, TimeProvider clock, HttpContext http, string accountId,
        [FromBody] ReasonRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if ((await store.GetStatusAsync("account", accountId, ct))?.Status != EntityStatus.Paused)
            return Conflict($"Account '{accountId}' is not paused; only a paused account can be resumed.");
        return Widen(await OperatorCommands.SendAsync(publisher, store,
            OperatorCommands.New(OperatorCommand.Resume, accountId, http.User, body!.Reason!, clock), ct));
    }

    internal static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = "Not possible in the current state", Detail = detail, Status = StatusCodes.Status409Conflict });

    internal static Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>> Widen(
        Results<Ok<CommandResult>, Accepted<CommandResult>> r) => r.Result switch
    {
        Ok<CommandResult> ok => ok,
        Accepted<CommandResult> accepted => accepted,
        _ => throw new InvalidOperationException("unexpected result"),
    };
}
