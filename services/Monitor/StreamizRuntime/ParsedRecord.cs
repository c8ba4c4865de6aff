using ReputationMonitor.Core.Model;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>The outcome of parsing one input record: an event or a command, or the original bytes for the DLQ.</summary>
public sealed class ParsedRecord
{
    public NormalizedEvent? Event { get; init; }
    public Core.Rules.OperatorCommand? Command { get; init; }
    public byte[]? RawValue { get; init; }
    public byte[]? RawKey { get; init; }
    public bool IsDeadLetter => Event is null && Command is null;
}
