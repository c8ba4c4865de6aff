using System.ComponentModel.DataAnnotations;

namespace ReputationMonitor.Configuration;

public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    [Required(ErrorMessage = "Postgres:ConnectionString is required (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=monitor)")]
    public string ConnectionString { get; set; } = "";
}
