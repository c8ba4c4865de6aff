using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

/// <summary>What every API module answers with the same way: instants in UTC, conflicts with the state.</summary>
internal static class ApiResults
{
    /// <summary>A forecast as the projection stored it (null: none published).</summary>
    public static Forecast? Forecast(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Deserialize(json, ApiJsonContext.Default.Forecast);

    /// <summary>Hours until the first crossing a forecast expects (review or pause, either metric); +∞ for none.</summary>
    public static double FirstCrossing(Forecast? f) => f is null ? double.PositiveInfinity
        : f.Metrics.SelectMany(m => new[] { m.Review, m.Pause }).Where(c => c is not null).Select(c => c!.ExpectedInHours)
            .DefaultIfEmpty(double.PositiveInfinity).Min();

    /// <summary>A timestamp read from PostgreSQL (UTC, unspecified kind) as the UTC instant it is.</summary>
    public static DateTimeOffset? Utc(DateTime? t) =>
        t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    /// <summary>409: the request is valid but the entity's state does not allow it now.</summary>
    public static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = "Not possible in the current state", Detail = detail, Status = StatusCodes.Status409Conflict });
}
