using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>A sending IP's warm-up: its day, and per provider what it sent in the last 24 h against what the schedule allows.</summary>
public static class WarmupApi
{
    public static IEndpointRouteBuilder MapWarmupApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/ips/{ip}").WithTags("Dimensions").RequireAuthorization(Policies.Viewer)
            .MapGet("/warmup", GetWarmup).WithName("GetIpWarmup")
            .WithSummary("An IP's warm-up: day, status, and per provider the last 24 h's recipients against the schedule's allowance, with bounce and throttle rates.");
        return app;
    }

    /// <param name="Accounts">The accounts that sent from the IP (its figures are their sum).</param>
    /// <param name="Findings">The newest warm-up findings raised on the IP.</param>
    public sealed record WarmupView(string Ip, WarmupReport Warmup, IReadOnlyList<string> Accounts, IReadOnlyList<FindingsApi.FindingView> Findings);

    public static async Task<Results<Ok<WarmupView>, NotFound<ProblemDetails>>> GetWarmup(
        ReadStore store, OperatorStore findings, RuleBook book, string ip, CancellationToken ct)
    {
        var rows = await store.GetEntityStatsAsync(null, Dimensions.Ip, ip, ct);
        if (rows.Count == 0 || rows.Min(r => r.FirstSeen) is not { } firstSeen)
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "ip not found",
                Detail = $"No traffic has been seen from IP '{ip}'.",
                Status = StatusCodes.Status404NotFound,
            });
        var windows = rows.Select(r => BreakdownApi.Window(r, longWindow: true)).ToList();
        var byProvider = windows.SelectMany(w => w.ByProvider).GroupBy(p => p.Provider).ToDictionary(g => g.Key,
            g => (g.Sum(p => p.Counts.GetValueOrDefault("sent")), g.Sum(p => p.Counts.GetValueOrDefault("hardBounces")),
                g.Sum(p => p.Counts.GetValueOrDefault("throttled"))));
        var responses = windows.SelectMany(w => w.Responses).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        var asOf = rows.Max(r => r.AsOf) ?? rows.Max(r => r.UpdatedAt);
        var report = WarmupPlan.Evaluate(book.Current.Warmup, WarmupRules.PoolOf(responses), ToMs(firstSeen), ToMs(asOf), byProvider);
        var raised = (await findings.ListDimensionFindingsAsync(Dimensions.Ip, ip, null, 50, ct))
            .Where(f => f.Rule.StartsWith("warmup-", StringComparison.Ordinal)).Take(20).Select(FindingsApi.View).ToList();
        return TypedResults.Ok(new WarmupView(ip, report, rows.Select(r => r.AccountId).Distinct().Order(StringComparer.Ordinal).ToList(), raised));
    }

    private static long ToMs(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
