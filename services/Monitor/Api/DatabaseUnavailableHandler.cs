using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ReputationMonitor.Api;

/// <summary>
/// A request that needs PostgreSQL while it is unreachable, restarting or out of connections gets 503 with Retry-After as
/// ProblemDetails — the request may simply be repeated — instead of a 500 that reads as a bug. The stream does not need
/// the database (its state is in Kafka), so decisions go on meanwhile; /readyz says the same.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception)) return false;
        logger.LogWarning("PostgreSQL unavailable for {Method} {Path}: {Error}", http.Request.Method, http.Request.Path,
            exception.GetBaseException().Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Title = "The database is unavailable",
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = $"PostgreSQL could not serve this request ({exception.GetBaseException().Message}). Retry in {RetryAfterSeconds} s; " +
                         "the stream keeps deciding meanwhile, and /readyz turns green when the database is back.",
            },
        });
    }

    /// <summary>Connection failures, server shutdowns, too many clients, timeouts: what a retry may cure (Npgsql's own judgement).</summary>
    public static bool IsUnavailable(Exception? e) => e switch
    {
        null => false,
        NpgsqlException { IsTransient: true } or TimeoutException => true,
        _ => IsUnavailable(e.InnerException),
    };
}
