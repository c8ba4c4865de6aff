namespace ReputationMonitor.Core.Reports;

/// <summary>A sending domain's DMARC results over one day, summed over every reporting organisation's rows.</summary>
public sealed record DmarcDay(string Domain, DateOnly Day, IReadOnlyList<DmarcDayRow> Rows)
{
    public long Messages => Rows.Sum(r => r.Count);
    public long DmarcPass => Rows.Where(r => r.SpfAligned || r.DkimAligned).Sum(r => r.Count);
    public double PassRate => Messages == 0 ? 0 : (double)DmarcPass / Messages;
}

/// <summary>One stored report row, with the organisation that reported it.</summary>
public sealed record DmarcDayRow(string OrgName, string SourceIp, long Count, string Disposition,
    bool SpfPass, bool SpfAligned, bool DkimPass, bool DkimAligned);
