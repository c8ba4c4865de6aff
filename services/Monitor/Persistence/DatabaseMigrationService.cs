using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;

namespace ReputationMonitor.Persistence;

/// <summary>Applies migrations before the rest of the service starts; waits for PostgreSQL up to a deadline.</summary>
public sealed class DatabaseMigrationService(IOptions<PostgresOptions> options, Kafka.KafkaConnection kafka, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    /// <summary>Rows of an earlier embedded-broker run's projections cleared at start-up (for the banner).</summary>
    public long ClearedRows { get; private set; }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + Deadline;
        var owner = options.Value.MigrationConnectionString is { Length: > 0 } o ? o : options.Value.ConnectionString;
        while (true)
        {
            try
            {
                await Task.Run(() => DatabaseMigrator.Migrate(owner, logger, options.Value.AppRole), ct);
                logger.LogInformation("Database schema is up to date");
                if (kafka.Embedded && options.Value.ClearProjectionsWithEmbeddedBroker)
                {
                    ClearedRows = await DevelopmentReset.ClearAsync(owner, ct);
                    if (ClearedRows > 0)
                        logger.LogWarning("Embedded development broker: cleared {Rows} projection rows of an earlier run (audit log and keys kept)", ClearedRows);
                }
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException && DateTime.UtcNow < until)
            {
                logger.LogWarning("PostgreSQL not reachable yet ({Error}); retrying until {Deadline:O}", e.Message, until);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
