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

    public static IApplicationBuilder UseMetricsPortIsolation(this WebApplication app)
    {
        if (Port(app.Configuration) is not { } port) return app;
        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == port && !context.Request.Path.Equals("/metrics", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
    }
}
