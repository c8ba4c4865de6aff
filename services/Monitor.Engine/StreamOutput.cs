namespace ReputationMonitor.Engine;

/// <summary>What the reputation processor emits; exactly one property is set.</summary>
public sealed class StreamOutput
{
    public Core.Rules.Decision? Decision { get; init; }
    public Core.Aggregation.AccountSnapshot? Snapshot { get; init; }
    public Core.Aggregation.EntitySnapshot? Entity { get; init; }
    public Core.Rules.SuppressionChange? Suppression { get; init; }
    public byte[]? DeadLetter { get; init; }
}
