using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// What an account page shows beyond its current figures: its dimensions with their own status (paged), the decisions
/// taken about it (paged) and its rates hour by hour.
/// </summary>
public static class AccountHistoryApi
{
    public sealed record DimensionRow(string Kind, string Value, string? Status, string? StatusReason, CountsView Counts, RatesView Rates,
        IReadOnlyList<ResponseView> TopResponses);

    public sealed record DecisionView(Guid DecisionId, string Scope, string Entity, string From, string To, string Rule, string Pillar,
        string? Reason, string? Actor, DateTimeOffset At);

    public sealed record RatePoint(DateTimeOffset Hour, long Sent, double BounceRate, double ComplaintRate);

    public sealed record RateHistoryView(string AccountId, string Range, RateThresholds? Thresholds, IReadOnlyList<RatePoint> Points);

    public static readonly IReadOnlyDictionary<string, TimeSpan> Ranges = new Dictionary<string, TimeSpan>
    {
        ["24h"] = TimeSpan.FromHours(24), ["7d"] = TimeSpan.FromDays(7),
    };

    public static IEndpointRouteBuilder MapAccountHistoryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/accounts/{accountId}").WithTags("Accounts").RequireAuthorization(Policies.Viewer);
        group.MapGet("/dimensions", ListDimensions).WithName("ListAccountDimensions")
            .WithSummary("The account's configuration sets, tenants, domains, pools, IPs and callers with their counts and status, a page at a time.");
        group.MapGet("/decisions", ListDecisions).WithName("ListAccountDecisions")
            .WithSummary("Every status decision about the account and its dimensions, newest first.");
        group.MapGet("/rates", GetRates).WithName("GetAccountRates")
            .WithSummary("The account's bounce and complaint rates hour by hour over 24 h or 7 d, with the thresholds in force.");
        return app;
    }

    public static async Task<Results<Ok<Page<DimensionRow>>, ValidationProblem>> ListDimensions(
        ReadStore reads, OperatorStore operators, string accountId, string? window, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var afterKey);
        if (window is not (null or "1h" or "24h")) errors["window"] = ["window must be '1h' or '24h'."];
        (string, string)? after = null;
        if (afterKey is not null)
        {
            var cut = afterKey.IndexOf('|');
            if (cut > 0) after = (afterKey[..cut], afterKey[(cut + 1)..]);
            else errors["nextToken"] = ["nextToken is not a token this API issued."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var rows = await reads.ListDimensionsAsync(accountId, after, size + 1, ct);
        var page = rows.Take(size).ToList();
        var statuses = new Dictionary<(string, string), EntityStatusRow>();
        foreach (var kind in page.Select(r => r.Kind).Distinct())
        {
            if (Dimensions.StatusScope(kind) is not { } scope) continue;
            var found = await operators.GetStatusesAsync(scope, page.Where(r => r.Kind == kind).Select(r => $"{accountId}/{r.Value}").ToList(), ct);
            foreach (var (entity, status) in found) statuses[(kind, entity[(accountId.Length + 1)..])] = status;
        }
        var items = page.Select(r =>
        {
            var stats = CombinedWindow.Of([JsonSerializer.Deserialize(window == "1h" ? r.ShortWindow : r.LongWindow, CoreJsonContext.Default.WindowStats)!]);
            var counts = CountsView.From(stats.Totals);
            var rated = Dimensions.StatusScope(r.Kind) is not null;
            statuses.TryGetValue((r.Kind, r.Value), out var status);
            return new DimensionRow(r.Kind, r.Value, rated ? status?.Status ?? EntityStatus.Healthy : null, status?.Reason, counts,
                RatesView.From(counts), stats.TopResponses());
        }).ToList();
        return TypedResults.Ok(new Page<DimensionRow>(items, rows.Count > size ? Paging.Encode($"{page[^1].Kind}|{page[^1].Value}") : null));
    }

    public static async Task<Results<Ok<Page<DecisionView>>, ValidationProblem>> ListDecisions(
        OperatorStore store, string accountId, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.ValidateInstantKeyset(pageSize, nextToken, out var size, out (DateTime At, Guid Id)? before);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.ListDecisionsAsync(accountId, before, size + 1, ct);
        var items = rows.Take(size).Select(r => new DecisionView(r.DecisionId, r.Scope, r.Entity, r.FromStatus, r.ToStatus, r.Rule, r.Pillar,
            r.Reason, r.Actor, ApiResults.Utc(r.At)!.Value)).ToList();
        var next = rows.Count > size ? Paging.Encode(rows[size - 1].At, rows[size - 1].DecisionId) : null;
        return TypedResults.Ok(new Page<DecisionView>(items, next));
    }

    /// <summary>Hours are counted back from the account's newest figures, not from the wall clock: a replay of last
    /// month's traffic draws last month.</summary>
    public static async Task<Results<Ok<RateHistoryView>, ValidationProblem>> GetRates(
        ReadStore store, string accountId, string? range, CancellationToken ct)
    {
        range ??= "24h";
        if (!Ranges.TryGetValue(range, out var span))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["range"] = [$"range must be one of {string.Join(", ", Ranges.Keys)}."] });
        var account = await store.GetAccountAsync(accountId, ct);
        var end = account?.WindowEnd ?? DateTime.UtcNow;
        var points = await store.GetRateHistoryAsync(accountId, end - span, ct);
        var thresholds = account?.Thresholds is { } t ? JsonSerializer.Deserialize(t, ApiJsonContext.Default.RateThresholds) : null;
        return TypedResults.Ok(new RateHistoryView(accountId, range, thresholds,
            points.Select(p => new RatePoint(ApiResults.Utc(p.Hour)!.Value, p.Sent, p.BounceRate, p.ComplaintRate)).ToList()));
    }
}
