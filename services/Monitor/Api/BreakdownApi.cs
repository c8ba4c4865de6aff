using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Persistence;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Api;

/// <summary>
/// The per-dimension views: an account broken down by provider, configuration set, tenant, sending domain,
/// pool or IP; and a sending domain or IP across every account that uses it (with its provider split).
/// </summary>
public static class BreakdownApi
{
    private static readonly Dictionary<string, string> ByParameter = new(StringComparer.OrdinalIgnoreCase)
    {
        ["provider"] = "provider", ["domain"] = Dimensions.Domain, ["configurationSet"] = Dimensions.ConfigurationSet,
        ["tenant"] = Dimensions.Tenant, ["pool"] = Dimensions.Pool, ["ip"] = Dimensions.Ip, ["caller"] = Dimensions.Caller,
    };

    public static IEndpointRouteBuilder MapBreakdownApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Viewer)
            .MapGet("/{accountId}/breakdown", GetBreakdown).WithName("GetAccountBreakdown");
        var dims = app.MapGroup("/v1").WithTags("Dimensions").RequireAuthorization(Policies.Viewer);
        dims.MapGet("/domains/{domain}", (ReadStore store, OperatorStore findings, RuleBook book, string domain, string? window, CancellationToken ct) =>
            GetDimension(store, book, Dimensions.Domain, domain.ToLowerInvariant(), window, ct, findings: findings)).WithName("GetDomain");
        dims.MapGet("/ips/{ip}", (ReadStore store, OperatorStore findings, RuleBook book, string ip, string? window, CancellationToken ct) =>
            GetDimension(store, book, Dimensions.Ip, ip, window, ct, findings: findings)).WithName("GetIp");
        dims.MapGet("/providers/{provider}", GetProvider).WithName("GetProvider");
        dims.MapGet("/configuration-sets/{accountId}/{name}", (ReadStore store, RuleBook book, string accountId, string name, string? window, CancellationToken ct) =>
            GetDimension(store, book, Dimensions.ConfigurationSet, name, window, ct, accountId)).WithName("GetConfigurationSet");
        dims.MapGet("/tenants/{accountId}/{tenant}", (ReadStore store, RuleBook book, string accountId, string tenant, string? window, CancellationToken ct) =>
            GetDimension(store, book, Dimensions.Tenant, tenant, window, ct, accountId)).WithName("GetTenant");
        return app;
    }

    public static async Task<Results<Ok<BreakdownView>, ValidationProblem, NotFound<ProblemDetails>>> GetBreakdown(
        ReadStore store, RuleBook book, string accountId, string? by, string? window, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (by is null || !ByParameter.TryGetValue(by, out var kind))
        {
            errors["by"] = [$"by must be one of {string.Join(", ", ByParameter.Keys)}."];
            kind = "";
        }
        TryWindow(window, errors, out var longWindow);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var windowName = longWindow ? "24h" : "1h";
        if (kind == "provider")
        {
            var account = await store.GetEntityStatsAsync(accountId, Dimensions.Account, accountId, ct);
            if (account.Count == 0) return NotFound(accountId);
            var c = CombinedWindow.Of([Window(account[0], longWindow)]);
            var rows = c.Providers().Select(p => new BreakdownRow(p.Provider,
                CountsView.From(c.ByProvider[p.Provider]), p.Rates, c.TopResponses(provider: p.Provider))).ToList();
            return TypedResults.Ok(new BreakdownView(accountId, "provider", windowName, c.Period, book.Current.Thresholds, rows, AsOf(account)));
        }

        var entities = await store.GetEntityStatsAsync(accountId, kind, null, ct);
        if (entities.Count == 0 && (await store.GetEntityStatsAsync(accountId, Dimensions.Account, accountId, ct)).Count == 0)
            return NotFound(accountId);
        var combined = entities.Select(e => (e.Value, Stats: CombinedWindow.Of([Window(e, longWindow)]))).ToList();
        var period = CombinedWindow.Of(entities.Select(e => Window(e, longWindow))).Period;
        return TypedResults.Ok(new BreakdownView(accountId, by!, windowName, period, book.Current.Thresholds, combined
            .Select(x =>
            {
                var counts = CountsView.From(x.Stats.Totals);
                return new BreakdownRow(x.Value, counts, RatesView.From(counts), x.Stats.TopResponses());
            })
            .OrderByDescending(r => r.Counts.Sent).ToList(), AsOf(entities)));
    }

    public static async Task<Results<Ok<DimensionView>, ValidationProblem, NotFound<ProblemDetails>>> GetDimension(
        ReadStore store, RuleBook book, string kind, string value, string? window, CancellationToken ct, string? accountId = null,
        OperatorStore? findings = null)
    {
        var errors = new Dictionary<string, string[]>();
        TryWindow(window, errors, out var longWindow);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var rows = await store.GetEntityStatsAsync(accountId, kind, value, ct);
        if (rows.Count == 0)
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = $"{kind} not found",
                Detail = $"No traffic has been seen for {kind} '{value}'.",
                Status = StatusCodes.Status404NotFound,
            });
        var windows = rows.Select(r => (r.AccountId, Stats: Window(r, longWindow), Forecast: ApiResults.Forecast(r.Forecast))).ToList();
        var combined = CombinedWindow.Of(windows.Select(w => w.Stats));
        var totals = CountsView.From(combined.Totals);
        var accounts = windows.Select(w =>
        {
            var c = CountsView.From(w.Stats.Totals);
            return new AccountShare(w.AccountId, c.Sent, RatesView.From(c), w.Forecast);
        }).OrderByDescending(a => a.Sent).ToList();
        var forecast = windows.Select(w => w.Forecast).Where(f => f is not null).MinBy(ApiResults.FirstCrossing);
        var raised = findings is null ? null
            : (await findings.ListDimensionFindingsAsync(kind, value, accountId, 20, ct)).Select(FindingsApi.View).ToList();
        return TypedResults.Ok(new DimensionView(kind, value, longWindow ? "24h" : "1h", combined.Period, totals,
            RatesView.From(totals), book.Current.Thresholds, combined.Providers(), combined.TopResponses(), accounts, AsOf(rows), raised, forecast));
    }

    /// <summary>One recipient provider across every account: how the platform as a whole fares at Gmail, Yahoo, ...</summary>
    public static async Task<Results<Ok<DimensionView>, ValidationProblem>> GetProvider(
        ReadStore store, RuleBook book, string provider, string? window, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Core.Model.Providers.All.Contains(provider))
            errors["provider"] = [$"provider must be one of {string.Join(", ", Core.Model.Providers.All)}."];
        TryWindow(window, errors, out var longWindow);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var accounts = await store.GetEntityStatsAsync(null, Dimensions.Account, null, ct);
        var combined = new CombinedWindow();
        var shares = new List<AccountShare>();
        foreach (var row in accounts)
        {
            var w = Window(row, longWindow);
            var slice = w.ByProvider.FirstOrDefault(p => p.Provider == provider);
            if (slice is null) continue;
            var counts = CountsView.From(slice.Counts);
            shares.Add(new AccountShare(row.AccountId, counts.Sent, RatesView.From(counts)));
            combined.Add(new WindowStats
            {
                Start = w.Start, End = w.End, DurationSeconds = w.DurationSeconds, Totals = slice.Counts, ByProvider = [slice],
                Responses = w.Responses.Where(r => r.Key.StartsWith(provider + "|", StringComparison.Ordinal)).ToDictionary(),
            });
        }
        var totals = CountsView.From(combined.Totals);
        return TypedResults.Ok(new DimensionView("provider", provider, longWindow ? "24h" : "1h", combined.Period, totals,
            RatesView.From(totals), book.Current.Thresholds, combined.Providers(), combined.TopResponses(),
            shares.OrderByDescending(s => s.Sent).Take(100).ToList(), AsOf(accounts)));
    }

    /// <summary>How far the stream had got when the newest of these figures was published (stale shows as stale).</summary>
    private static DateTimeOffset? AsOf(IEnumerable<EntityStatsRow> rows) => ApiResults.Utc(rows.Max(r => r.AsOf));

    private static bool TryWindow(string? window, Dictionary<string, string[]> errors, out bool longWindow)
    {
        longWindow = window is null or "24h";
        if (window is null or "24h" or "1h") return true;
        errors["window"] = ["window must be '1h' or '24h'."];
        return false;
    }

    internal static WindowStats Window(EntityStatsRow row, bool longWindow) =>
        JsonSerializer.Deserialize(longWindow ? row.LongWindow : row.ShortWindow, CoreJsonContext.Default.WindowStats)!;

    private static NotFound<ProblemDetails> NotFound(string accountId) => TypedResults.NotFound(new ProblemDetails
    {
        Title = "Account not found",
        Detail = $"No traffic has been seen for account '{accountId}'.",
        Status = StatusCodes.Status404NotFound,
    });
}
