namespace ReputationMonitor.Core.Model;

/// <summary>The SES thresholds, by default. Rates are fractions (0.05 = 5 %).</summary>
public sealed class RateThresholds
{
    public double BounceReview { get; set; } = 0.05;
    public double BouncePause { get; set; } = 0.10;
    public double ComplaintReview { get; set; } = 0.001;
    public double ComplaintPause { get; set; } = 0.005;

    /// <summary>Bounce rules stay silent below this many recipients in the window.</summary>
    public long BounceMinVolume { get; set; } = 200;

    /// <summary>Complaint rules stay silent below this many recipients in the window.</summary>
    public long ComplaintMinVolume { get; set; } = 1000;
}
