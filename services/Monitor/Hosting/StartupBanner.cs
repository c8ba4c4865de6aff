using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Prometheus;
using ReputationMonitor.Api;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Hosting;

/// <summary>
/// What a person starting the service needs to see: where the API and the broker are, a key to call the
/// API with, and then a live line of counters every few seconds.
/// </summary>
public sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IServer server, KafkaConnection kafka, Topics topics, ApiKeyRegistry keys,
    Persistence.DatabaseMigrationService database,
    StreamStatus stream, IOptions<PostgresOptions> postgres, IOptions<ApiOptions> api, IOptions<KafkaOptions> kafkaOptions,
    ILogger<StartupBanner> logger) : BackgroundService
{
    public static TimeSpan CounterInterval { get; set; } = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        var metricsPort = api.Value.MetricsUrl is { Length: > 0 } mu ? new Uri(mu).Port : -1;
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => new Uri(a).Port != metricsPort) ?? "(unknown)";
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(postgres.Value.ConnectionString);
        var lines = new List<string>
        {
            "",
            "  Reputation Monitor is running",
            $"  Console        {url}/console   (log in with an API key)",
            $"  API            {url}   (reference: {url}/docs, OpenAPI: {url}/openapi/v1.json)",
            api.Value.MetricsUrl is { Length: > 0 } m ? $"  Metrics        {m.TrimEnd('/')}/metrics   (no key; keep this port private)"
                                                      : $"  Metrics        {url}/metrics   (needs a viewer key)",
            $"  Kafka          {kafka.BootstrapServers}{(kafka.Embedded ? "   (embedded development broker)" : "")}",
            kafkaOptions.Value.Runtime == StreamRuntime.Partition ? "  Runtime        partition processor (Kafka:Runtime=Partition; Streamiz: the Streamiz topology)"
                                                                  : "  Runtime        Streamiz (Kafka:Runtime=Streamiz; Partition: the partition processor)",
            $"  PostgreSQL     {pg.Host}:{pg.Port}/{pg.Database}" + (database.ClearedRows > 0
                ? $"   (cleared {database.ClearedRows:N0} rows of an earlier run's projections: the embedded broker starts empty; audit log and keys kept)"
                : ""),
            $"  Topics in      {topics.SendAttempts}, {topics.Events}",
            $"  Topics out     {topics.Actions}, {topics.Dlq}",
        };
        if (keys.GeneratedDevelopmentKey is { } key)
        {
            lines.Add($"  Admin key      {key}   (operator rights + key management; generated for this run, set MONITOR_API_KEY_ADMIN or MONITOR_API_KEY_OPERATOR to choose one)");
            lines.Add($"  Try            curl -H 'X-Api-Key: {key}' {url}/v1/system");
        }
        lines.Add("");
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        logger.LogInformation("Monitor started: API {Url}, Kafka {BootstrapServers} (embedded: {Embedded})", url, kafka.BootstrapServers, kafka.Embedded);

        using var timer = new PeriodicTimer(CounterInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Console.Out.WriteLine(
                $"[live] stream={stream.State} events={Sum(EngineMetrics.EventsConsumed)} dlq={Sum(EngineMetrics.DeadLetters)} " +
                $"decisions={Sum(EngineMetrics.Decisions)} waiting-for-attempt={EngineMetrics.PendingMessages.Value} " +
                $"db-writes={Sum(MonitorMetrics.ProjectionWrites)} db-errors={Sum(MonitorMetrics.ProjectionErrors)}");
        }
    }

    private static long Sum(Counter counter) =>
        (long)counter.GetAllLabelValues().Sum(labels => counter.WithLabels(labels).Value);
}
