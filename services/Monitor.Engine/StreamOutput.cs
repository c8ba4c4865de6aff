namespace ReputationMonitor.Engine;

/// <summary>What the engine emits; exactly one of the payload properties is set (a dead letter also has its reason).</summary>
public sealed class StreamOutput
{
    public Core.Rules.Decision? Decision { get; init; }
    public Core.Aggregation.AccountSnapshot? Snapshot { get; init; }
    public Core.Aggregation.EntitySnapshot? Entity { get; init; }
    public Core.Rules.SuppressionChange? Suppression { get; init; }

    /// <summary>A record the engine refused or failed on: its bytes, for the DLQ.</summary>
    public byte[]? DeadLetter { get; init; }

    /// <summary>Why <see cref="DeadLetter"/> is one (<c>code: detail</c>), for the DLQ's reason header.</summary>
    public string? DeadLetterReason { get; init; }
}

/// <summary>One output of the engine with its record key (UTF-8 on the topic).</summary>
public readonly record struct EngineOutput(string Key, StreamOutput Value);
