using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>
/// The data protection key ring in PostgreSQL, shared by every instance of the monitor: a console session started on
/// one instance is read on another, and survives a restart. The framework calls this rarely (at its first use and when
/// it rotates keys), synchronously. The data source is asked for then, not when the framework is wired: a missing
/// connection string is reported by start-up's validation, naming its key.
/// </summary>
public sealed class DataProtectionKeyRing(Func<NpgsqlDataSource> dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = dataSource().OpenConnection();
        return conn.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = dataSource().OpenConnection();
        conn.Execute("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@Name, @Xml)",
            new { Name = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
