using Dapper;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>
/// The embedded development broker starts empty on every run, so what PostgreSQL holds from an earlier run describes
/// another universe: statuses, reviews and statistics the stream knows nothing of (and an open review it would open again
/// would collide with). With that broker, and <c>Postgres:ClearProjectionsWithEmbeddedBroker</c> (which <c>make run</c> sets),
/// the projections are cleared at start-up — the audit log and issued keys are kept — and the banner says so.
/// </summary>
public static class DevelopmentReset
{
    private static readonly string[] Projections =
    [
        "entity_status", "decisions", "review_cases", "account_stats", "account_rate_history", "entity_stats", "findings", "suppressions",
        "message_events", "failed_attempts", "projection_failures",
    ];

    /// <summary>Clears the projections; returns how many rows there were (0: nothing from an earlier run).</summary>
    public static async Task<long> ClearAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        var rows = 0L;
        foreach (var table in Projections)
            rows += await conn.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {table}", cancellationToken: ct));
        if (rows > 0)
            await conn.ExecuteAsync(new CommandDefinition($"TRUNCATE {string.Join(", ", Projections)}", cancellationToken: ct));
        return rows;
    }
}
