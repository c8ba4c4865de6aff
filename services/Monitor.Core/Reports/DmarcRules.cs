using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Reports;

/// <summary>What DMARC aggregate reports warn of, per sending domain and day (RFC 7489 reports are daily).</summary>
public sealed class DmarcOptions
{
    /// <summary>Below this share of messages passing DMARC over a day, the domain gets a finding.</summary>
    public double PassRateThreshold { get; set; } = 0.98;

    /// <summary>Messages a day the reports must cover before the pass rate is judged.</summary>
    public long MinMessages { get; set; } = 100;

    /// <summary>Messages a day from one source failing both SPF and DKIM that make it an unauthenticated source.</summary>
    public long UnauthenticatedSourceMinMessages { get; set; } = 5;
}

/// <summary>
/// The monitoring pillar's DMARC findings for one domain and day: a pass rate under the threshold (with the volume to
/// judge it), and sources sending as the domain that neither SPF nor DKIM authenticates (spoofing, or a forgotten
/// service). Findings are deterministic per domain, day and rule, so reports re-read never raise one twice.
/// </summary>
public static class DmarcRules
{
    public const string PassRate = "dmarc-pass-rate", UnauthenticatedSources = "dmarc-unauthenticated-sources";

    public static List<Decision> Evaluate(DmarcDay day, DmarcOptions options)
    {
        var findings = new List<Decision>();
        var start = new DateTimeOffset(day.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var window = new EvidenceWindow(start, start.AddDays(1), 86_400);
        var counts = new Dictionary<string, long>
        {
            ["messages"] = day.Messages,
            ["dmarcPass"] = day.DmarcPass,
            ["spfAligned"] = day.Rows.Where(r => r.SpfAligned).Sum(r => r.Count),
            ["dkimAligned"] = day.Rows.Where(r => r.DkimAligned).Sum(r => r.Count),
        };
        var rates = new Dictionary<string, double> { ["dmarcPass"] = day.PassRate };

        var failing = day.Rows.Where(r => !r.SpfPass && !r.DkimPass)
            .GroupBy(r => r.SourceIp)
            .Select(g => new EvidenceSource(g.Key, g.Sum(r => r.Count), false, false, string.Join(", ", g.Select(r => r.OrgName).Distinct())))
            .OrderByDescending(s => s.Messages).ToList();

        if (day.Messages >= options.MinMessages && day.PassRate < options.PassRateThreshold)
            findings.Add(Finding(day, PassRate, window, counts, rates,
                new EvidenceThreshold(PassRate, options.PassRateThreshold, options.MinMessages, day.PassRate),
                $"{day.PassRate:P1} of {day.Messages} messages as {day.Domain} passed DMARC on {day.Day:yyyy-MM-dd} (under {options.PassRateThreshold:P0})",
                failing.Take(20).ToList()));

        var unauthenticated = failing.Where(s => s.Messages >= options.UnauthenticatedSourceMinMessages).ToList();
        if (unauthenticated.Count > 0)
            findings.Add(Finding(day, UnauthenticatedSources, window, counts, rates,
                new EvidenceThreshold(UnauthenticatedSources, options.UnauthenticatedSourceMinMessages, options.UnauthenticatedSourceMinMessages,
                    unauthenticated[0].Messages),
                $"{unauthenticated.Count} source(s) sent {unauthenticated.Sum(s => s.Messages)} messages as {day.Domain} on {day.Day:yyyy-MM-dd} " +
                $"that neither SPF nor DKIM authenticates (largest: {unauthenticated[0].SourceIp}, {unauthenticated[0].Messages})",
                unauthenticated.Take(20).ToList()));
        return findings;
    }

    private static Decision Finding(DmarcDay day, string rule, EvidenceWindow window, Dictionary<string, long> counts,
        Dictionary<string, double> rates, EvidenceThreshold threshold, string reason, List<EvidenceSource> sources) => new()
    {
        Kind = Decision.FindingKind,
        Scope = "domain",
        Entity = day.Domain,
        From = "healthy",
        To = "healthy",
        Rule = rule,
        Pillar = "monitoring",
        At = window.End,
        DecisionId = Findings.Id("domain", day.Domain, rule, window.Start.ToUnixTimeMilliseconds()),
        Reason = reason,
        Actor = "dmarc-reports",
        Evidence = new DecisionEvidence { Window = window, Counts = counts, Rates = rates, Threshold = threshold, Sources = sources },
    };
}
