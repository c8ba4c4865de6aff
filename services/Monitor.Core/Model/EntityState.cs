namespace ReputationMonitor.Core.Model;

/// <summary>An entity's status and its open review, as the status machine keeps it.</summary>
public sealed class EntityState
{
    public string Status { get; set; } = EntityStatus.Healthy;

    /// <summary>Number of transitions so far; with the entity it makes decision ids deterministic.</summary>
    public int Sequence { get; set; }
    public long SinceMs { get; set; }
    public string? Rule { get; set; }
    public OpenReview? Review { get; set; }

    /// <summary>Rates are judged on traffic from this event time on (set when an operator resumes the entity).</summary>
    public long EvaluateFromMs { get; set; }

    /// <summary>Operator commands already applied (bounded), so a retried command changes nothing.</summary>
    public List<string> AppliedCommands { get; set; } = [];
}

public sealed class OpenReview
{
    public required string Id { get; set; }
    public required string Rule { get; set; }
    public long OpenedAtMs { get; set; }
    public long DeadlineMs { get; set; }
}
