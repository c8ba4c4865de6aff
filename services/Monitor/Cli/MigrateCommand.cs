using System.CommandLine;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Cli;

public static class MigrateCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection-string")
        {
            Description = "PostgreSQL connection string of the schema's owner (default: Postgres__MigrationConnectionString, then Postgres__ConnectionString, then appsettings.json)",
        };
        var cmd = new Command("migrate", "Apply the database migrations and exit.") { connection };
        cmd.SetAction((result, _) =>
        {
            var cs = result.GetValue(connection)
                ?? Environment.GetEnvironmentVariable("Postgres__MigrationConnectionString")
                ?? Environment.GetEnvironmentVariable("Postgres__ConnectionString")
                ?? new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
                    .Build()["Postgres:ConnectionString"];
            if (string.IsNullOrWhiteSpace(cs))
            {
                Console.Error.WriteLine("migrate needs --connection-string or Postgres__ConnectionString");
                return Task.FromResult(2);
            }
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            DatabaseMigrator.Migrate(cs, loggerFactory.CreateLogger("migrate"),
                Environment.GetEnvironmentVariable("Postgres__AppRole") is { Length: > 0 } role ? role : new Configuration.PostgresOptions().AppRole);
            Console.Out.WriteLine("database schema is up to date");
            return Task.FromResult(0);
        });
        return cmd;
    }
}
