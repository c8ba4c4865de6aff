using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Streaming;

/// <summary>The outcome of parsing one input record: an event or a command, or the original bytes for the DLQ.</summary>
public sealed class ParsedRecord
{
    public NormalizedEvent? Event { get; init; }
    public Core.Rules.OperatorCommand? Command { get; init; }
    public byte[]? RawValue { get; init; }
    public byte[]? RawKey { get; init; }
    public bool IsDeadLetter => Event is null && Command is null;
}

/// <summary>What reaches the reputation processor, partitioned by account: an event or an operator command.</summary>
public sealed class StreamInput
{
    public NormalizedEvent? Event { get; set; }
    public Core.Rules.OperatorCommand? Command { get; set; }
}

/// <summary>What the reputation processor emits; exactly one property is set.</summary>
public sealed class StreamOutput
{
    public Core.Rules.Decision? Decision { get; init; }
    public Core.Aggregation.AccountSnapshot? Snapshot { get; init; }
    public Core.Aggregation.EntitySnapshot? Entity { get; init; }
    public Core.Rules.SuppressionChange? Suppression { get; init; }
    public byte[]? DeadLetter { get; init; }
}
