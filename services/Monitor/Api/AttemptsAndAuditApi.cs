using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Core;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Refused send requests (they have no message id, so no message trace) and the audit log of operator actions.
/// </summary>
public static class AttemptsAndAuditApi
{
    public sealed record FailedAttemptView(string AttemptId, DateTimeOffset At, string? ErrorCode, string? Message, string? Source,
        IReadOnlyList<string> Destinations, string? CallerIdentity, string? CallerIp, DiagnosisView Diagnosis);

    public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string Scope, string Entity, string? Reason,
        JsonElement Detail);

    public static IEndpointRouteBuilder MapAttemptsAndAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Viewer)
            .MapGet("/{accountId}/attempts", ListAttempts).WithName("ListFailedAttempts");
        app.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Operator)
            .MapGet("/", ListAudit).WithName("ListAudit");
        return app;
    }

    public static async Task<Results<Ok<Page<FailedAttemptView>>, ValidationProblem>> ListAttempts(
        OperatorStore store, string accountId, string? outcome, string? code, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var afterKey);
        if (outcome is not (null or "rejected"))
            errors["outcome"] = ["outcome must be 'rejected': accepted attempts are traced by message id (GET /v1/messages/{messageId})."];
        (DateTime, string)? after = null;
        if (afterKey is not null)
        {
            var bar = afterKey.IndexOf('|');
            if (bar > 0 && Paging.TryTicks(afterKey[..bar], out var at))
                after = (at, afterKey[(bar + 1)..]);
            else errors["nextToken"] = ["nextToken is not a token this API issued."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var rows = await store.ListFailedAttemptsAsync(accountId, code, after, size + 1, ct);
        var items = rows.Take(size).Select(r =>
        {
            var e = JsonSerializer.Deserialize(r.Detail, CoreJsonContext.Default.NormalizedEvent)!;
            var d = Core.Diagnosis.MessageDiagnosis.Diagnose([e]);
            return new FailedAttemptView(e.AttemptId ?? r.AttemptKey, ApiResults.Utc(r.At)!.Value, r.ErrorCode, e.Detail, e.Source,
                e.Destinations, e.CallerIdentity, e.CallerIp, new DiagnosisView(d.Status, d.Stage, d.Reason, d.Facts));
        }).ToList();
        var next = rows.Count > size ? Paging.Encode($"{rows[size - 1].At.Ticks}|{rows[size - 1].AttemptKey}") : null;
        return TypedResults.Ok(new Page<FailedAttemptView>(items, next));
    }

    public static async Task<Results<Ok<Page<AuditView>>, ValidationProblem>> ListAudit(
        OperatorStore store, string? entity, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var afterKey);
        long? before = null;
        if (afterKey is not null)
        {
            if (long.TryParse(afterKey, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) before = id;
            else errors["nextToken"] = ["nextToken is not a token this API issued."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.ListAuditAsync(entity, before, size + 1, ct);
        var items = rows.Take(size).Select(r => new AuditView(r.Id, ApiResults.Utc(r.At)!.Value, r.Actor, r.Action, r.Scope, r.Entity,
            r.Reason, JsonDocument.Parse(r.Detail).RootElement.Clone())).ToList();
        return TypedResults.Ok(new Page<AuditView>(items, rows.Count > size ? Paging.Encode(items[^1].Id.ToString(CultureInfo.InvariantCulture)) : null));
    }
}
