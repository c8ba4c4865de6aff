using DbUp;
using DbUp.Engine.Output;

namespace ReputationMonitor.Persistence;

/// <summary>Applies the embedded SQL migrations (DbUp journal in <c>schemaversions</c>); creates the database if missing.</summary>
public static class DatabaseMigrator
{
    public static void Migrate(string connectionString, ILogger logger, string appRole = "monitor_app")
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));
        var result = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .WithVariable("app_role", appRole)
            .LogTo(new DbUpLogger(logger))
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"database migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
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
