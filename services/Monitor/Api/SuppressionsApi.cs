using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// The account-level suppression list: walk it with cursor pages (constant memory, keyset on the address),
/// read one address, add one (PUT) or remove one with a reason (DELETE). Changes go through the stream,
/// which owns the list and counts later sends to listed addresses as suppressed.
/// </summary>
public static class SuppressionsApi
{

    public sealed record SuppressRequest(string? Reason);

    public static IEndpointRouteBuilder MapSuppressionsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/accounts/{accountId}/suppressions").WithTags("Suppressions").RequireAuthorization(Policies.Viewer);
        read.MapGet("/", List).WithName("ListSuppressions");
        read.MapGet("/{email}", Get).WithName("GetSuppression");
        var write = app.MapGroup("/v1/accounts/{accountId}/suppressions").WithTags("Suppressions").RequireAuthorization(Policies.Operator);
        write.MapPut("/{email}", Put).WithName("PutSuppression");
        write.MapDelete("/{email}", Delete).WithName("DeleteSuppression");
        return app;
    }

    public static async Task<Results<Ok<Page<SuppressionView>>, ValidationProblem>> List(
        OperatorStore store, string accountId, string? reason, string? addedAfter, string? addedBefore, int? pageSize, string? nextToken,
        CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var after);
        var filter = SuppressionRequests.Filter(reason, addedAfter, addedBefore, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.ListSuppressionsAsync(accountId, filter, after, size + 1, ct);
        var items = rows.Take(size).Select(SuppressionRequests.View).ToList();
        return TypedResults.Ok(new Page<SuppressionView>(items, rows.Count > size ? Paging.Encode(items[^1].Email) : null));
    }

    public static async Task<Results<Ok<SuppressionView>, NotFound<ProblemDetails>>> Get(
        OperatorStore store, string accountId, string email, CancellationToken ct) =>
        await store.GetSuppressionAsync(accountId, EmailAddress.Normalize(email), ct) is { } row ? TypedResults.Ok(SuppressionRequests.View(row)) : NotFound(accountId, email);

    public static async Task<Results<Ok<SuppressionView>, Accepted, ValidationProblem>> Put(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId, string email,
        [FromBody] SuppressRequest? body, CancellationToken ct)
    {
        var errors = SuppressionRequests.ValidateEmail(email);
        if (body?.Reason is { } why && !CommandRules.IsText(why, OperatorCommands.MaxReasonLength))
            errors["reason"] = [$"reason must be at most {OperatorCommands.MaxReasonLength} characters, without control characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var address = EmailAddress.Normalize(email);
        var command = OperatorCommands.New(OperatorCommand.Suppress, accountId, http.User, body?.Reason ?? "added by an operator", clock);
        command.Email = address;
        // Listed already: the stream changes nothing, so it says nothing — the command is sent all the same (the stream's list
        // is the truth) but not waited for.
        var listed = await store.GetSuppressionAsync(accountId, address, ct) is not null;
        await OperatorCommands.SendAndWaitAsync(publisher, store, outcomes, command, ct, wait: !listed);
        var row = await store.GetSuppressionAsync(accountId, address, ct);
        return row is not null ? TypedResults.Ok(SuppressionRequests.View(row)) : TypedResults.Accepted($"/v1/accounts/{accountId}/suppressions/{address}");
    }

    public static async Task<Results<NoContent, Accepted, ValidationProblem, NotFound<ProblemDetails>>> Delete(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, string accountId, string email,
        string? reason, CancellationToken ct)
    {
        var errors = SuppressionRequests.ValidateEmail(email);
        foreach (var (k, v) in OperatorCommands.RequireReason(reason)) errors[k] = v;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var address = EmailAddress.Normalize(email);
        if (await store.GetSuppressionAsync(accountId, address, ct) is null) return NotFound(accountId, address);
        var command = OperatorCommands.New(OperatorCommand.Unsuppress, accountId, http.User, reason!, clock);
        command.Email = address;
        await OperatorCommands.SendAndWaitAsync(publisher, store, outcomes, command, ct);
        var gone = await store.GetSuppressionAsync(accountId, address, ct) is null;
        return gone ? TypedResults.NoContent() : TypedResults.Accepted($"/v1/accounts/{accountId}/suppressions/{address}");
    }

    private static NotFound<ProblemDetails> NotFound(string account, string email) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "Not on the suppression list",
        Detail = $"'{email}' is not on the suppression list of account '{account}'.",
        Status = StatusCodes.Status404NotFound,
    });
}
