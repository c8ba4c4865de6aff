using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Streaming;

/// <summary>The outcome of parsing one input record: a normalised event, or the original bytes for the DLQ.</summary>
public sealed class ParsedRecord
{
    public NormalizedEvent? Event { get; init; }
    public byte[]? RawValue { get; init; }
    public byte[]? RawKey { get; init; }
    public bool IsDeadLetter => Event is null;
}

/// <summary>What the reputation processor emits; exactly one property is set.</summary>
public sealed class StreamOutput
{
    public Core.Rules.Decision? Decision { get; init; }
    public Core.Aggregation.AccountSnapshot? Snapshot { get; init; }
    public Core.Aggregation.EntitySnapshot? Entity { get; init; }
    public byte[]? DeadLetter { get; init; }
}
