using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// A real PostgreSQL server: <c>MONITOR_TEST_POSTGRES</c> (set by <c>make test</c>, which starts a local
/// cluster), else a Testcontainers PostgreSQL when a Docker engine answers. Each test gets its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgreSqlContainer? _container;
    public string ServerConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("MONITOR_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            ServerConnectionString = configured;
            return;
        }
        try
        {
            _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await _container.StartAsync();
            ServerConnectionString = _container.GetConnectionString();
        }
        catch (DockerUnavailableException e)
        {
            throw new InvalidOperationException(
                "No PostgreSQL for the tests: run them with 'make test' (it starts a local PostgreSQL and sets " +
                "MONITOR_TEST_POSTGRES), or set MONITOR_TEST_POSTGRES yourself, or make a Docker engine available.", e);
        }
    }

    /// <summary>A fresh, empty database on the server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "broker and database";
}

/// <summary>
/// The API's surface — routes, roles, hardening, fuzzing, rate limits, metrics access, reviews, suppressions, rules,
/// providers' reports — with a broker of their own, so that they run beside the stream's tests instead of after them
/// (the suite's time is bounded by its longest collection; the machine is mostly waiting, not computing).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "broker and database, the API's surface";
}

/// <summary>
/// The integration tests that mostly wait — a process killed and restarted, PostgreSQL cut for 30 s, instances joining
/// and leaving the group — in a collection of their own (its own embedded broker), so xunit runs them beside the others
/// instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LongIntegrationCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "broker and database, long waits";
}

/// <summary>
/// The console's browser tests: mostly waiting on a page to refresh, so in a collection of their own (its own embedded
/// broker) that xunit runs beside the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "browser, broker and database";
}

/// <summary>
/// Integration tests that would lengthen the main collection, which bounds the suite's time: their own broker, run
/// beside the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BesideCollection : ICollectionFixture<KafkaFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "broker and database, beside the others";
}
