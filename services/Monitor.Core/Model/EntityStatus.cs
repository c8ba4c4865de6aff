namespace ReputationMonitor.Core.Model;

public static class EntityStatus
{
    public const string Healthy = "healthy", UnderReview = "under_review", Paused = "paused";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Healthy, UnderReview, Paused };

    /// <summary>How severe a status is; statuses only move up by rule (down only by review or operator).</summary>
    public static int Severity(string status) => status switch { Paused => 2, UnderReview => 1, _ => 0 };
}
