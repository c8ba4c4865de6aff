namespace ReputationMonitor.Hosting;

/// <summary>
/// How the service logs: single-line text for a person at a terminal, JSON for machines (output redirected to a file or
/// a pipe, or running in a container, where a log shipper reads it). <c>MONITOR_LOG_FORMAT=text|json</c> decides instead.
/// </summary>
public static class LogFormat
{
    public const string Key = "MONITOR_LOG_FORMAT";

    public static bool IsText(IConfiguration configuration) => configuration[Key]?.ToLowerInvariant() switch
    {
        "text" => true,
        "json" => false,
        _ => !Console.IsOutputRedirected && !InContainer,
    };

    /// <summary>Set by Microsoft's .NET container images.</summary>
    private static bool InContainer => Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true";

    public static void AddMonitorLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (IsText(builder.Configuration))
        {
            // Scopes stay (they name the account and decision a line is about); trace and span ids do not help a reader.
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss "; o.UseUtcTimestamp = true; });
        }
        else
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.TimestampFormat = "O"; o.UseUtcTimestamp = true; });
    }
}
