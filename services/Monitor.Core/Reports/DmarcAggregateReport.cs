namespace ReputationMonitor.Core.Reports;

/// <summary>One DMARC aggregate report (RFC 7489 appendix C): who reported, for which domain and period, and its rows.</summary>
public sealed record DmarcAggregateReport(
    string OrgName, string ReportId, DateTimeOffset Begin, DateTimeOffset End, string Domain, string? Policy,
    IReadOnlyList<DmarcRow> Rows)
{
    /// <summary>The day the report covers (its begin, UTC): reports are daily.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Begin.UtcDateTime);
}

/// <summary>
/// One row: messages from a source IP with one outcome. <see cref="SpfAligned"/> and <see cref="DkimAligned"/> are the
/// DMARC evaluation (authenticated and aligned with the From domain); <see cref="SpfPass"/> and <see cref="DkimPass"/>
/// say whether any SPF or DKIM check passed at all, aligned or not.
/// </summary>
public sealed record DmarcRow(
    string SourceIp, long Count, string Disposition, string HeaderFrom,
    bool SpfPass, bool SpfAligned, bool DkimPass, bool DkimAligned)
{
    public bool DmarcPass => SpfAligned || DkimAligned;
}

/// <summary>Why a DMARC report could not be read: a stable code for the DLQ and the words for a person.</summary>
public sealed class DmarcReportException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
