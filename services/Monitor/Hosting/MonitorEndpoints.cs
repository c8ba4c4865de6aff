using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;
using Scalar.AspNetCore;
using ReputationMonitor.Api;
using ReputationMonitor.OperatorConsole;

namespace ReputationMonitor.Hosting;

public static class MonitorEndpoints
{
    public static WebApplication MapMonitorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMetricsPortIsolation();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseRequestGuard(); // after routing: it names the route value or query parameter at fault
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: limits are per API key
        app.UseAuthorization();
        app.UseAntiforgery(); // the console's forms

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Reputation Monitor API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        // Liveness follows the stream: an orchestrator restarts a process whose stream has stopped.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync });
        MapMetricsEndpoint(app);

        app.MapAccountsApi();
        app.MapMessagesApi();
        app.MapSystemApi();
        app.MapBreakdownApi();
        app.MapDomainReportsApi();
        app.MapOperationsApi();
        app.MapReviewsApi();
        app.MapFindingsApi();
        app.MapSuppressionsApi();
        app.MapSuppressionTransferApi();
        app.MapAttemptsAndAuditApi();
        app.MapKeysApi();
        app.MapAccountHistoryApi();
        app.MapRulesApi();
        app.MapWarmupApi();
        app.MapOperatorConsole();
        return app;
    }

    /// <summary>
    /// Metrics name accounts' traffic levels, so they are not public: either on their own port without a key
    /// (<see cref="MetricsPortIsolation"/>, which serves nothing else there, decided by the connection's local port) or on
    /// the API address behind a viewer key.
    /// </summary>
    private static void MapMetricsEndpoint(WebApplication app)
    {
        if (MetricsPortIsolation.Port(app.Configuration) is null) app.MapMetrics("/metrics").RequireAuthorization(Policies.Viewer);
    }
}
