using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

/// <summary>Review cases: the evidence behind each review, operator notes, resolving and extending a review.</summary>
public static class ReviewsApi
{
    private static readonly string[] Statuses = ["open", "healed", "escalated", "resolved"];

    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/reviews").WithTags("Reviews").RequireAuthorization(Policies.Viewer);
        read.MapGet("/", ListReviews).WithName("ListReviews");
        read.MapGet("/due", ListDue).WithName("ListDueReviews").WithSummary("Open reviews, the nearest deadline first.");
        read.MapGet("/{id:guid}", GetReview).WithName("GetReview");
        var write = app.MapGroup("/v1/reviews").WithTags("Reviews").RequireAuthorization(Policies.Operator);
        write.MapPost("/{id:guid}/notes", AddNote).WithName("AddReviewNote");
        write.MapPost("/{id:guid}/resolve", Resolve).WithName("ResolveReview");
        write.MapPost("/{id:guid}/extend", Extend).WithName("ExtendReview");
        return app;
    }

    public static async Task<Results<Ok<Page<ReviewDetail>>, ValidationProblem>> ListReviews(
        OperatorStore store, string? status, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var after);
        if (status is not null && !Statuses.Contains(status)) errors["status"] = [$"status must be one of {string.Join(", ", Statuses)}."];
        if (after is not null && !Guid.TryParse(after, out _)) errors["nextToken"] = ["nextToken is not a token this API issued."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.ListReviewsAsync(status, after, size + 1, ct);
        var items = rows.Take(size).Select(Detail).ToList();
        return TypedResults.Ok(new Page<ReviewDetail>(items, rows.Count > size ? Paging.Encode(items[^1].Id.ToString()) : null));
    }

    /// <summary>The open reviews, the nearest deadline first: the order an operator works them in.</summary>
    public static async Task<Results<Ok<Page<ReviewDetail>>, ValidationProblem>> ListDue(
        OperatorStore store, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.ValidateInstantKeyset(pageSize, nextToken, out var size, out (DateTime At, Guid Id)? after);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.ListOpenReviewsByDeadlineAsync(after, size + 1, ct);
        var items = rows.Take(size).Select(Detail).ToList();
        var next = rows.Count > size ? Paging.Encode(rows[size - 1].Deadline, rows[size - 1].Id) : null;
        return TypedResults.Ok(new Page<ReviewDetail>(items, next));
    }

    public static async Task<Results<Ok<ReviewDetail>, NotFound<ProblemDetails>>> GetReview(OperatorStore store, Guid id, CancellationToken ct) =>
        await store.GetReviewAsync(id, ct) is { } r ? TypedResults.Ok(Detail(r)) : NotFound(id);

    public static async Task<Results<Created<ReviewDetail>, ValidationProblem, NotFound<ProblemDetails>>> AddNote(
        OperatorStore store, HttpContext http, Guid id, [FromBody] NoteRequest? body, CancellationToken ct)
    {
        if (!CommandRules.IsText(body?.Text, OperatorCommands.MaxReasonLength))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["text"] = [$"text is required, at most {OperatorCommands.MaxReasonLength} characters."],
            });
        var actor = OperatorCommands.Actor(http.User);
        if (!await store.AddNoteAsync(id, actor, body.Text.Trim(), ct)) return NotFound(id);
        var review = (await store.GetReviewAsync(id, ct))!;
        await store.AuditAsync(actor, "note", review.Scope, review.EntityId, body.Text.Trim(), $$"""{"reviewId":"{{id}}"}""", ct);
        return TypedResults.Created($"/v1/reviews/{id}", Detail(review));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>, NotFound<ProblemDetails>>> Resolve(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, Guid id,
        [FromBody] ResolveRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (body?.Outcome is not (EntityStatus.Healthy or EntityStatus.Paused))
            errors["outcome"] = ["outcome must be 'healthy' (close the review) or 'paused' (pause the account)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await store.GetReviewAsync(id, ct) is not { } review) return NotFound(id);
        if (review.Status != "open") return ApiResults.Conflict($"Review {id} is {review.Status}, not open.");
        var command = OperatorCommands.New(OperatorCommand.Resolve, review.EntityId, http.User, body!.Reason!, clock);
        command.Scope = review.Scope; // an account's, a configuration set's or a tenant's
        command.ReviewId = id.ToString();
        command.Outcome = body.Outcome;
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes, command, ct));
    }

    public static async Task<Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>, NotFound<ProblemDetails>>> Extend(
        CommandPublisher publisher, OperatorStore store, CommandOutcomes outcomes, TimeProvider clock, HttpContext http, Guid id,
        [FromBody] ExtendRequest? body, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(body?.Reason);
        if (body?.Hours is not { } hours || hours <= 0 || hours > CommandRules.MaxExtendBy.TotalHours)
            errors["hours"] = [$"hours must be more than 0 and at most {CommandRules.MaxExtendBy.TotalHours:N0}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await store.GetReviewAsync(id, ct) is not { } review) return NotFound(id);
        if (review.Status != "open") return ApiResults.Conflict($"Review {id} is {review.Status}, not open.");
        var command = OperatorCommands.New(OperatorCommand.Extend, review.EntityId, http.User, body!.Reason!, clock);
        command.Scope = review.Scope;
        command.ReviewId = id.ToString();
        command.ExtendBy = TimeSpan.FromHours(body.Hours!.Value);
        return Widen(await OperatorCommands.SendAsync(publisher, store, outcomes, command, ct));
    }

    private static Results<Ok<CommandResult>, Accepted<CommandResult>, ValidationProblem, Conflict<ProblemDetails>, NotFound<ProblemDetails>> Widen(
        Results<Ok<CommandResult>, Accepted<CommandResult>> r) => r.Result switch
    {
        Ok<CommandResult> ok => ok,
        Accepted<CommandResult> accepted => accepted,
        _ => throw new InvalidOperationException("unexpected result"),
    };

    private static ReviewDetail Detail(ReviewRow r) => new(r.Id, r.Scope, r.EntityId, r.Status, r.Rule,
        ApiResults.Utc(r.OpenedAt)!.Value, ApiResults.Utc(r.Deadline)!.Value, ApiResults.Utc(r.ClosedAt),
        JsonDocument.Parse(r.Evidence).RootElement.Clone(), JsonDocument.Parse(r.Notes).RootElement.Clone());

    private static NotFound<ProblemDetails> NotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "Review not found", Detail = $"There is no review {id}.", Status = StatusCodes.Status404NotFound,
    });
}
