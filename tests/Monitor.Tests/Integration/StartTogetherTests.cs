using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>A rolling deployment's first minute: four instances started at the same moment on a database that does not exist
/// yet, one broker, one consumer group.</summary>
[Collection(BesideCollection.Name)]
public sealed class StartTogetherTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Four_processes_started_at_once_on_a_fresh_database_all_become_ready_and_migrate_it_once()
    {
        var (broker, bootstrap) = await MonitorProcess.StartDevBrokerAsync();
        using var brokerProcess = broker;
        var db = new NpgsqlConnectionStringBuilder(postgres.ServerConnectionString) { Database = "test_" + Guid.NewGuid().ToString("N")[..12] }
            .ConnectionString; // not created: the instances create it
        var settings = MonitorInstance.Settings(MonitorInstance.NewPrefix(), bootstrap, db);

        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey)));
        try
        {
            foreach (var (_, client) in started)
                Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            await using var conn = new NpgsqlConnection(db);
            var scripts = (await conn.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
            Assert.Equal(scripts.Distinct().Count(), scripts.Count);
            Assert.Contains(scripts, s => s.EndsWith("0001_initial_schema.sql", StringComparison.Ordinal));
            Assert.All(started, s => Assert.DoesNotContain("Unhandled exception", s.Process.Stderr));
        }
        finally
        {
            foreach (var (process, client) in started)
            {
                client.Dispose();
                process.Dispose();
            }
        }
    }
}
