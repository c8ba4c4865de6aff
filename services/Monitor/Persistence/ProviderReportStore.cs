using Dapper;
using Npgsql;
using ReputationMonitor.Core.Reports;

namespace ReputationMonitor.Persistence;

/// <summary>DMARC aggregate report rows: written once per report, read per sending domain and day.</summary>
public sealed class ProviderReportStore(NpgsqlDataSource db)
{
    /// <returns>False when this organisation's report was stored before (a report read twice).</returns>
    public async Task<bool> InsertDmarcReportAsync(DmarcAggregateReport report, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = report.Rows.Select((r, i) => (Row: r, No: i)).ToList();
        var written = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO dmarc_report_rows (org_name, report_id, row_no, domain, day, source_ip, messages, disposition, header_from,
                                           spf_pass, spf_aligned, dkim_pass, dkim_aligned)
            SELECT @Org, @ReportId, no, @Domain, @Day, ip, n, disposition, header_from, spf, spf_aligned, dkim, dkim_aligned
            FROM unnest(@Nos, @Ips, @Counts, @Dispositions, @HeaderFroms, @Spf, @SpfAligned, @Dkim, @DkimAligned)
                 AS r(no, ip, n, disposition, header_from, spf, spf_aligned, dkim, dkim_aligned)
            ON CONFLICT (org_name, report_id, row_no) DO NOTHING
            """, new
        {
            Org = report.OrgName, report.ReportId, report.Domain, Day = report.Day.ToDateTime(TimeOnly.MinValue),
            Nos = rows.Select(r => r.No).ToArray(),
            Ips = rows.Select(r => r.Row.SourceIp).ToArray(),
            Counts = rows.Select(r => r.Row.Count).ToArray(),
            Dispositions = rows.Select(r => r.Row.Disposition).ToArray(),
            HeaderFroms = rows.Select(r => r.Row.HeaderFrom).ToArray(),
            Spf = rows.Select(r => r.Row.SpfPass).ToArray(),
            SpfAligned = rows.Select(r => r.Row.SpfAligned).ToArray(),
            Dkim = rows.Select(r => r.Row.DkimPass).ToArray(),
            DkimAligned = rows.Select(r => r.Row.DkimAligned).ToArray(),
        }, cancellationToken: ct));
        return written > 0 || rows.Count == 0;
    }

    /// <summary>Every stored row for a domain over the last <paramref name="days"/> days up to <paramref name="until"/>, newest day first.</summary>
    public async Task<IReadOnlyList<DmarcDay>> GetDaysAsync(string domain, DateOnly until, int days, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<DmarcRowRecord>(new CommandDefinition("""
            SELECT day AS Day, org_name AS OrgName, source_ip AS SourceIp, messages AS Messages, disposition AS Disposition,
                   spf_pass AS SpfPass, spf_aligned AS SpfAligned, dkim_pass AS DkimPass, dkim_aligned AS DkimAligned
            FROM dmarc_report_rows
            WHERE domain = @Domain AND day > @From AND day <= @Until
            ORDER BY day DESC, org_name, row_no
            """, new { Domain = domain, From = until.AddDays(-days).ToDateTime(TimeOnly.MinValue), Until = until.ToDateTime(TimeOnly.MinValue) },
            cancellationToken: ct));
        return rows.GroupBy(r => DateOnly.FromDateTime(r.Day))
            .Select(g => new DmarcDay(domain, g.Key, g.Select(r => new DmarcDayRow(r.OrgName, r.SourceIp, r.Messages, r.Disposition,
                r.SpfPass, r.SpfAligned, r.DkimPass, r.DkimAligned)).ToList()))
            .ToList();
    }

    /// <summary>The newest day any report covers for a domain, or null.</summary>
    public async Task<DateOnly?> GetLatestDayAsync(string domain, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var day = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(day) FROM dmarc_report_rows WHERE domain = @Domain", new { Domain = domain }, cancellationToken: ct));
        return day is { } d ? DateOnly.FromDateTime(d) : null;
    }

    private sealed class DmarcRowRecord
    {
        public DateTime Day { get; init; }
        public string OrgName { get; init; } = "";
        public string SourceIp { get; init; } = "";
        public long Messages { get; init; }
        public string Disposition { get; init; } = "";
        public bool SpfPass { get; init; }
        public bool SpfAligned { get; init; }
        public bool DkimPass { get; init; }
        public bool DkimAligned { get; init; }
    }
}
