using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;

namespace ReputationMonitor.Persistence;

/// <summary>Applies migrations before the rest of the service starts; waits for PostgreSQL up to a deadline.</summary>
public sealed class DatabaseMigrationService(IOptions<PostgresOptions> options, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                await Task.Run(() => DatabaseMigrator.Migrate(options.Value.ConnectionString, logger), ct);
                logger.LogInformation("Database schema is up to date");
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
