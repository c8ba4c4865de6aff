namespace ReputationMonitor.Core.Rules;

/// <summary>Provider-feedback findings (analysis pillar). Findings warn; they never change a status.</summary>
public sealed class FindingThresholds
{
    /// <summary>The slice of the short window the feedback rules look at.</summary>
    public TimeSpan FeedbackWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Share of a provider's recipients throttled (e.g. Gmail 4.7.28, Yahoo TSS04) that raises a finding.</summary>
    public double ThrottleShare { get; set; } = 0.10;

    /// <summary>Recipients sent to the provider in the slice below which throttling stays silent.</summary>
    public long ThrottleMinVolume { get; set; } = 50;

    /// <summary>Blocklist responses (Spamhaus, BL21, S3150, ...) from one provider that raise a finding.</summary>
    public long BlocklistMinResponses { get; set; } = 5;

    /// <summary>Authentication-failure responses (SPF/DKIM/DMARC) from one provider that raise a finding.</summary>
    public long AuthFailureMinResponses { get; set; } = 10;

    /// <summary>Reputation-block responses from one provider that raise a finding.</summary>
    public long ReputationBlockMinResponses { get; set; } = 10;
}
