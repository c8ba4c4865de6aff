using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Persistence;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", ListAccounts).WithName("ListAccounts");
        group.MapGet("/{accountId}", GetAccount).WithName("GetAccount");
        return group;
    }

    public static async Task<Results<Ok<Page<AccountSummary>>, ValidationProblem>> ListAccounts(
        ReadStore store, string? status, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var after);
        if (status is not null && !EntityStatus.All.Contains(status))
            errors["status"] = [$"status must be one of {string.Join(", ", EntityStatus.All)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var rows = await store.ListAccountsAsync(status, after, size + 1, ct);
        var items = rows.Take(size).Select(r => new AccountSummary(r.AccountId, r.Status, ApiResults.Utc(r.StatusSince), r.Sent,
            new RatesView(r.BounceRate, r.ComplaintRate), Window(r.WindowStart, r.WindowEnd, r.WindowSeconds), Thresholds(r.Thresholds))).ToList();
        return TypedResults.Ok(new Page<AccountSummary>(items, rows.Count > size ? Paging.Encode(items[^1].AccountId) : null));
    }

    public static async Task<Results<Ok<AccountView>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> GetAccount(
        ReadStore store, string accountId, CancellationToken ct)
    {
        var row = await store.GetAccountAsync(accountId, ct);
        if (row is null)
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Title = "Account not found",
                Detail = $"No send attempts, events or decisions have been seen for account '{accountId}'.",
                Status = StatusCodes.Status404NotFound,
            });

        var totals = row.Totals is null ? null : JsonSerializer.Deserialize(row.Totals, ApiJsonContext.Default.DictionaryStringInt64);
        var byProvider = row.ByProvider is null ? [] : JsonSerializer.Deserialize(row.ByProvider, ApiJsonContext.Default.ListProviderCounts) ?? [];

        return TypedResults.Ok(new AccountView(
            row.AccountId, row.Status, row.StatusReason, row.StatusRule, ApiResults.Utc(row.StatusSince),
            RatesView.From(CountsView.From(totals)),
            Window(row.WindowStart, row.WindowEnd, row.WindowSeconds) is { } w && row.WindowMode is { } mode
                ? w with { Mode = mode, Volume = row.WindowVolume } : Window(row.WindowStart, row.WindowEnd, row.WindowSeconds),
            CountsView.From(totals),
            byProvider.Select(p =>
            {
                var c = CountsView.From(p.Counts);
                return new ProviderView(p.Provider, c.Sent, c.Delivered, c.HardBounces, c.SoftBounces, c.Complaints, c.Delayed,
                    c.Throttled, c.Rejected, c.Suppressed, RatesView.From(c));
            }).ToList(),
            Thresholds(row.Thresholds),
            row.ReviewId is { } id ? new ReviewView(id, row.ReviewRule!, ApiResults.Utc(row.ReviewOpenedAt)!.Value, ApiResults.Utc(row.ReviewDeadline)!.Value) : null,
            row.LateEvents ?? 0,
            ApiResults.Utc(row.UpdatedAt),
            ApiResults.Utc(row.AsOf),
            ApiResults.Forecast(row.Forecast)));
    }

    private static WindowView? Window(DateTime? start, DateTime? end, long? seconds) =>
        start is { } s && end is { } e ? new WindowView(ApiResults.Utc(s)!.Value, ApiResults.Utc(e)!.Value, seconds ?? 0) : null;

    private static RateThresholds? Thresholds(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, ApiJsonContext.Default.RateThresholds);

}
