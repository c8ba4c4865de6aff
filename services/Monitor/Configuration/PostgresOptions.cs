using System.ComponentModel.DataAnnotations;

namespace ReputationMonitor.Configuration;

public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    [Required(ErrorMessage = "Postgres:ConnectionString is required (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=monitor)")]
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema owner's connection, for migrations only; unset: migrations use <see cref="ConnectionString"/>
    /// (development, where the service connects as the owner).</summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>The role the service connects as in production; migrations grant it exactly what the service needs.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Postgres:AppRole must be a plain lower-case PostgreSQL role name")]
    public string AppRole { get; set; } = "monitor_app";

    /// <summary>Development (<c>make run</c> sets it): with the embedded broker, which starts empty, clear an earlier run's
    /// projections at start-up. Ignored with a configured Kafka; off by default so that a deployment that lost its Kafka
    /// setting never loses its data.</summary>
    public bool ClearProjectionsWithEmbeddedBroker { get; set; }
}
