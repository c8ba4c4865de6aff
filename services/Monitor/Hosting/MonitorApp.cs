using ReputationMonitor.Configuration;

namespace ReputationMonitor.Hosting;

/// <summary>Builds the service: configuration (files, environment, command line), logging, wiring, endpoints.</summary>
public static class MonitorApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? overrideServices = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // The design's environment variable for the broker list, when the configuration key is not set.
        if (string.IsNullOrEmpty(builder.Configuration[$"{KafkaOptions.Section}:BootstrapServers"]) &&
            Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is { Length: > 0 } bootstrap)
            builder.Configuration[$"{KafkaOptions.Section}:BootstrapServers"] = bootstrap;

        builder.AddMonitorLogging();

        builder.AddMonitor();
        overrideServices?.Invoke(builder.Services);
        configure?.Invoke(builder);
        var urls = new List<string> { builder.Configuration[$"{ApiOptions.Section}:Url"] ?? new ApiOptions().Url };
        if (builder.Configuration[$"{ApiOptions.Section}:MetricsUrl"] is { Length: > 0 } metricsUrl) urls.Add(metricsUrl);
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

        var app = builder.Build();
        app.MapMonitorApi();
        return app;
    }
}
