using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>Findings: what the monitor warns about (provider throttling, blocklisting, ...), newest first.</summary>
public static class FindingsApi
{
    private static readonly string[] Pillars = ["prevention", "monitoring", "analysis", "response"];

    public static IEndpointRouteBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/findings").WithTags("Findings").RequireAuthorization(Policies.Viewer)
            .MapGet("/", ListFindings).WithName("ListFindings");
        return app;
    }

    public sealed record FindingView(Guid Id, string Scope, string Entity, string Rule, string Pillar, string? Provider,
        string Status, string? Reason, DateTimeOffset At, JsonElement Evidence);

    public static FindingView View(FindingRow r) => new(r.Id, r.Scope, r.Entity, r.Rule, r.Pillar, r.Provider, r.Status, r.Reason,
        ApiResults.Utc(r.At)!.Value, JsonDocument.Parse(r.Evidence).RootElement.Clone());

    /// <param name="entity">An account id (also matches its domains, IPs, ...) or a dimension entity "account/value".</param>
    public static async Task<Results<Ok<Page<FindingView>>, ValidationProblem>> ListFindings(
        OperatorStore store, string? entity, string? pillar, string? scope, int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.ValidateInstantKeyset(pageSize, nextToken, out var size, out (DateTime At, Guid Id)? after);
        if (pillar is not null && !Pillars.Contains(pillar)) errors["pillar"] = [$"pillar must be one of {string.Join(", ", Pillars)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var rows = await store.ListFindingsAsync(entity, pillar, scope, after, size + 1, ct);
        var items = rows.Take(size).Select(View).ToList();
        var next = rows.Count > size ? Paging.Encode(rows[size - 1].At, rows[size - 1].Id) : null;
        return TypedResults.Ok(new Page<FindingView>(items, next));
    }
}
