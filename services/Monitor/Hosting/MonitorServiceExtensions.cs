using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;
using ReputationMonitor.Api;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Persistence;
using ReputationMonitor.ProviderReports;
using ReputationMonitor.Engine;

using ReputationMonitor.OperatorConsole;

namespace ReputationMonitor.Hosting;

/// <summary>
/// The service's wiring, in four parts (as eShop's ServiceDefaults): options, the projections into PostgreSQL, the stream
/// runtime, the operator API. Hosted services start in the order registered: the schema is migrated before anything else
/// starts; the projection workers wait for the stream runtime to provision the topics.
/// </summary>
public static class MonitorServiceExtensions
{
    public static IHostApplicationBuilder AddMonitor(this IHostApplicationBuilder builder) =>
        builder.AddMonitorOptions().AddProjections().AddStreamRuntime().AddOperatorApi().AddOperatorConsole();

    /// <summary>
    /// Binds and validates a section at start-up (a bad value stops the service, naming the key). Not
    /// BindConfiguration: that also re-validates on every configuration reload inside IOptionsMonitor's change
    /// callback, where an invalid edit throws on the watcher's thread. The rules that
    /// are meant to reload follow the configuration themselves (<see cref="RuleReloading.Follow"/>).
    /// </summary>
    private static void BindValidated<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(section).Bind(options))
            .ValidateDataAnnotations()
            .ValidateOnStart();

    /// <summary>Every options section, validated at start-up; the clock.</summary>
    public static IHostApplicationBuilder AddMonitorOptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.BindValidated<KafkaOptions>(KafkaOptions.Section);
        services.BindValidated<PostgresOptions>(PostgresOptions.Section);
        services.BindValidated<ReputationOptions>(ReputationOptions.Section);
        services.BindValidated<ApiOptions>(ApiOptions.Section);
        services.BindValidated<ProviderReportOptions>(ProviderReportOptions.Section);
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiSecretsValidation>();
        services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Kafka, the engine's settings and rules, and the stream runtime that hosts it.</summary>
    public static IHostApplicationBuilder AddStreamRuntime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KafkaConnection>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KafkaOptions>>().Value.AllTopics());
        services.AddSingleton<TopicProvisioner>();
        services.AddSingleton<StartupGate>();
        services.AddSingleton<StreamStatus>();
        // Development (embedded broker): a key for this run, which only this process's API and stream use.
        services.AddSingleton(sp => new CommandSignature(
            sp.GetRequiredService<IOptions<ApiOptions>>().Value.CommandSigningKey is { Length: > 0 } key ? key : ApiKeyRegistry.NewKey("cmd")));
        services.AddSingleton(sp =>
        {
            var book = new RuleBook(RuleSet.From(sp.GetRequiredService<IOptions<ReputationOptions>>().Value));
            book.Follow(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<RuleBook>>());
            return book;
        });
        services.AddSingleton(sp =>
        {
            var r = sp.GetRequiredService<IOptions<ReputationOptions>>().Value;
            return new ReputationEngineSettings
            {
                Topics = sp.GetRequiredService<Topics>(),
                MaxRecordBytes = sp.GetRequiredService<IOptions<KafkaOptions>>().Value.MaxRecordBytes,
                Window = r.Window,
                History = r.HistoryKept,
                Join = r.Join,
                SnapshotInterval = r.SnapshotInterval,
                EntitySnapshotInterval = r.EntitySnapshotInterval,
                Rules = sp.GetRequiredService<RuleBook>(),
                Clock = sp.GetRequiredService<TimeProvider>(),
                MaxFutureSkew = r.Time.MaxFutureSkew,
                MaxCommandAge = r.Time.MaxCommandAge,
                CommandSignature = sp.GetRequiredService<CommandSignature>(),
                Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("ReputationMonitor.Decisions"),
            };
        });

        services.AddSingleton<CommandPublisher>();
        services.AddSingleton<DeadLetterPublisher>();
        services.AddHostedService<StreamHost>();
        services.AddHostedService<StartupBanner>();
        services.AddHostedService<PipelineGauges>();
        return builder;
    }

    /// <summary>PostgreSQL: the schema, the projections of the stream's outputs and traces, and the stores the API reads.</summary>
    public static IHostApplicationBuilder AddProjections(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<DatabaseMigrationService>().AddHostedService(sp => sp.GetRequiredService<DatabaseMigrationService>());
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString).Build());
        services.AddSingleton<ProjectionStore>();
        services.AddSingleton<CommandOutcomes>().AddHostedService(sp => sp.GetRequiredService<CommandOutcomes>());
        services.AddSingleton<ReadStore>();
        services.AddSingleton<Backtesting.BacktestJob>();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<ProjectionWorker>().AddHostedService(sp => sp.GetRequiredService<ProjectionWorker>());
        services.AddSingleton<TraceWriter>().AddHostedService(sp => sp.GetRequiredService<TraceWriter>());
        services.AddSingleton<ProviderReportStore>();
        services.AddSingleton<FeedbackReportWorker>().AddHostedService(sp => sp.GetRequiredService<FeedbackReportWorker>());
        services.AddSingleton<DmarcReportWorker>().AddHostedService(sp => sp.GetRequiredService<DmarcReportWorker>());

        return builder;
    }

    /// <summary>The operator API: keys, authorization, rate limits, ProblemDetails, OpenAPI, health checks.</summary>
    public static IHostApplicationBuilder AddOperatorApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyMaintenance>().AddHostedService(sp => sp.GetRequiredService<ApiKeyMaintenance>());
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Roles.Viewer))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // Every path: per key, or per client address when anonymous (health, reference and metrics-port callers
                // have a budget of their own, so that probes never starve the API's anonymous answers or the other way round).
                var options = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                var authenticated = http.User.Identity?.IsAuthenticated == true;
                var api = http.Request.Path.StartsWithSegments("/v1");
                var permits = authenticated || api ? options.PermitsPerMinute : options.AnonymousPermitsPerMinute;
                var health = http.Request.Path.StartsWithSegments("/healthz") || http.Request.Path.StartsWithSegments("/readyz");
                var caller = authenticated ? "key:" + http.User.Identity!.Name
                    : (api ? "ip:" : health ? "health:" : "anonymous:") + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(caller, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Title = "Too many requests", Status = 429, Detail = "This API key has used its requests for this minute; retry after 60 s." },
                });
            };
        });
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<StreamLivenessCheck>("stream-alive", tags: ["live"])
            .AddCheck<StreamHealthCheck>("stream", tags: ["ready"])
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }
}
