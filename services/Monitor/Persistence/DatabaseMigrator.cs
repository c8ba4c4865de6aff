using System.Text.RegularExpressions;
using Dapper;
using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>
/// Applies the embedded SQL migrations (DbUp journal in <c>schemaversions</c>; creates the database if missing), then the
/// service role's grants — one instance at a time (a PostgreSQL advisory lock), so that instances started together do not
/// race to create the same objects.
/// </summary>
public static partial class DatabaseMigrator
{
    /// <summary>Any number, the same in every instance: the lock that serialises migrations.</summary>
    private const long MigrationLock = 0x5245505554415449; // "REPUTATI"

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();

    public static void Migrate(string connectionString, ILogger logger, string appRole = "monitor_app")
    {
        if (!RoleName().IsMatch(appRole)) throw new ArgumentException($"Postgres:AppRole '{appRole}' is not a plain lower-case PostgreSQL role name", nameof(appRole));
        // Unpooled: a pool would keep these start-up connections (and the server database's) idle for minutes after the
        // migration, counting against max_connections while every other instance of a deployment starts.
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        try
        {
            EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Instances started together on a database that does not exist yet: another one created it between the check
            // and the CREATE DATABASE (the lock below lives in that database, so it cannot cover this).
            logger.LogInformation("Database created by another instance starting at the same time");
        }
        using var lockHolder = new NpgsqlConnection(connectionString);
        lockHolder.Open();
        lockHolder.Execute("SELECT pg_advisory_lock(@Key)", new { Key = MigrationLock });
        try
        {
            var result = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
                throw new InvalidOperationException($"database migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
            GrantAppRole(lockHolder, appRole, logger);
        }
        finally
        {
            lockHolder.Execute("SELECT pg_advisory_unlock(@Key)", new { Key = MigrationLock });
        }
    }

    /// <summary>
    /// What the service's role may do (migration 0008 explains why): every table but the audit log read-write, the audit log
    /// append-only, api_keys read-only (written through the key functions). Made at every start, so a role created after the
    /// migrations gets its rights; nothing when the role does not exist (development: the service connects as the owner).
    /// </summary>
    private static void GrantAppRole(NpgsqlConnection conn, string role, ILogger logger)
    {
        if (conn.ExecuteScalar<int>("SELECT count(*) FROM pg_roles WHERE rolname = @Role", new { Role = role }) == 0)
        {
            logger.LogInformation("PostgreSQL role {Role} does not exist: no grants made (the service connects as the schema's owner)", role);
            return;
        }
        var r = $"\"{role}\""; // a validated plain name
        conn.Execute($"""
            GRANT USAGE ON SCHEMA public TO {r};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r};
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {r};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON api_keys, schemaversions FROM {r};
            GRANT EXECUTE ON FUNCTION api_key_issue, api_key_revoke, api_key_touch TO {r};
            """);
    }

    private sealed class DbUpLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
