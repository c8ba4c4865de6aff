using Prometheus;
using ReputationMonitor.Configuration;

namespace ReputationMonitor.Hosting;

/// <summary>The unauthenticated metrics port answers /metrics and nothing else (no API behind it by accident).</summary>
public static class MetricsPortIsolation
{
    /// <summary>
    /// The metrics port from configuration (not from the options: reading those here would validate them while the
    /// app is built, before start-up where a bad value must be reported). An invalid URL is reported at start-up.
    /// </summary>
    public static int? Port(IConfiguration configuration) =>
        Uri.TryCreate(configuration[$"{ApiOptions.Section}:MetricsUrl"], UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : null;

    /// <summary>
    /// Decided by the port the connection came in on, never by the Host header (which the client writes): on the metrics
    /// port, <c>/metrics</c> without a key and nothing else; on the API port, <c>/metrics</c> is an API route needing a key.
    /// </summary>
    public static IApplicationBuilder UseMetricsPortIsolation(this WebApplication app)
    {
        if (Port(app.Configuration) is not { } port) return app;
        return app.UseWhen(context => context.Connection.LocalPort == port, metrics =>
        {
            metrics.UseMetricServer("/metrics");
            metrics.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }
}
