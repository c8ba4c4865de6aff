using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ReputationMonitor.Api;

/// <summary>What every API module answers with the same way: instants in UTC, conflicts with the state.</summary>
internal static class ApiResults
{
    /// <summary>A timestamp read from PostgreSQL (UTC, unspecified kind) as the UTC instant it is.</summary>
    public static DateTimeOffset? Utc(DateTime? t) =>
        t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    /// <summary>409: the request is valid but the entity's state does not allow it now.</summary>
    public static Conflict<ProblemDetails> Conflict(string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = "Not possible in the current state", Detail = detail, Status = StatusCodes.Status409Conflict });
}
