namespace ReputationMonitor.Core.Rules;

/// <summary>An account-level suppression-list change, published to <c>reputation.suppressions</c>.</summary>
public sealed class SuppressionChange
{
    public const string Added = "added", Removed = "removed";
    public const string Bounce = "BOUNCE", Complaint = "COMPLAINT", Manual = "MANUAL";

    public required string AccountId { get; set; }
    public required string Email { get; set; }
    public required string Action { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
    public string? MessageId { get; set; }
    public string Actor { get; set; } = "rule";
    public string? Note { get; set; }

    /// <summary>The operator command that made the change, if one did.</summary>
    public string? CommandId { get; set; }
}
