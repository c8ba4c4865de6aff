using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Backtesting;
using ReputationMonitor.Engine.Backtesting;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>The rules themselves: what a candidate set would have decided over the traffic the monitor holds.</summary>
public static class RulesApi
{
    /// <summary>The longest range one backtest replays.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/rules").WithTags("Rules").RequireAuthorization(Policies.Operator)
            .MapPost("/backtest", Backtest).WithName("BacktestRules")
            .WithSummary("Replay the message traces of a range through the rules in force and a candidate; the decisions and how they differ.")
            .WithDescription("Body: {\"rules\": {...the Reputation section, or the keys of it that change...}, \"from\", \"to\"} (at most 31 days, " +
                             "2,000,000 traces). Runs as a child process, one at a time (409 while another runs).");
        return app;
    }

    public sealed record BacktestRequest(JsonElement? Rules, DateTimeOffset? From, DateTimeOffset? To);

    public static async Task<Results<Ok<BacktestResult>, ValidationProblem, Conflict<ProblemDetails>>> Backtest(
        BacktestRequest request, BacktestJob job, ReadStore store, IConfiguration configuration, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        JsonObject? rules = null;
        if (request.Rules is not { ValueKind: JsonValueKind.Object } r)
            errors["rules"] = ["rules must be an object: the Reputation section, or the keys of it the candidate changes."];
        else
        {
            rules = JsonNode.Parse(r.GetRawText())!.AsObject();
            var (_, refused) = BacktestRules.Load(configuration, rules);
            if (refused.Count > 0) errors["rules"] = [.. refused];
        }
        if (request.From is not { } from) errors["from"] = ["from is required (the range's first event time)."];
        if (request.To is not { } to) errors["to"] = ["to is required (the range's last event time)."];
        else if (request.From is { } f && to <= f) errors["to"] = ["to must be after from."];
        else if (request.From is { } g && to - g > MaxRange) errors["to"] = [$"the range may cover at most {MaxRange.TotalDays:0} days."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var traces = await store.CountTracesAsync(request.From!.Value.UtcDateTime, request.To!.Value.UtcDateTime, ct);
        if (traces > BacktestJob.MaxTraces)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"the range holds {traces:N0} message traces; one backtest replays at most {BacktestJob.MaxTraces:N0}: narrow it."],
            });
        try
        {
            var result = await job.RunAsync(rules!, request.From.Value, request.To.Value, ct);
            return result is null ? ApiResults.Conflict("Another backtest is running; try again when it has finished.") : TypedResults.Ok(result);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"the range did not replay within {BacktestJob.Timeout.TotalMinutes:0} minutes: narrow it."],
            });
        }
    }
}
