using System.ComponentModel.DataAnnotations;

namespace ReputationMonitor.Configuration;

/// <summary>Providers' own reports: complaint feedback loops (ARF) and DMARC aggregate reports.</summary>
public sealed class ProviderReportOptions : IValidatableObject
{
    public const string Section = "ProviderReports";

    /// <summary>A report bigger than this goes to the DLQ (ARF carries the whole reported message; DMARC zips are small).</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "ProviderReports:MaxReportBytes must be between 1024 and 67108864")]
    public int MaxReportBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a feedback report may wait for its message's trace (a report can overtake the send it is about);
    /// then it goes to the DLQ as unattributed, to be replayed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "ProviderReports:AttributionWait must be between 00:00:00 and 01:00:00")]
    public TimeSpan AttributionWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>DMARC findings: pass-rate threshold, minimum daily volume, unauthenticated sources.</summary>
    public Core.Reports.DmarcOptions Dmarc { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Dmarc.PassRateThreshold is <= 0 or > 1)
            yield return new ValidationResult("ProviderReports:Dmarc:PassRateThreshold must be a fraction in (0, 1]", [nameof(Dmarc)]);
        if (Dmarc.MinMessages < 1)
            yield return new ValidationResult("ProviderReports:Dmarc:MinMessages must be at least 1", [nameof(Dmarc)]);
        if (Dmarc.UnauthenticatedSourceMinMessages < 1)
            yield return new ValidationResult("ProviderReports:Dmarc:UnauthenticatedSourceMinMessages must be at least 1", [nameof(Dmarc)]);
    }
}
