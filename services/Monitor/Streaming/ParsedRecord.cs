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

    /// <summary>A by-account record that could not be read (not written by this service, or corrupt): the DLQ's, not the engine's.
    /// Never written to the topic.</summary>
    [MessagePack.IgnoreMember, System.Text.Json.Serialization.JsonIgnore]
    public string? UnreadableReason { get; init; }

    /// <summary>The unreadable record's bytes, for the DLQ.</summary>
    [MessagePack.IgnoreMember, System.Text.Json.Serialization.JsonIgnore]
    public byte[]? UnreadableBytes { get; init; }

    /// <summary>Reads a by-account record; never throws — an unreadable one comes back with <see cref="UnreadableReason"/>.</summary>
    public static StreamInput Read(byte[] bytes)
    {
        try
        {
            return StateCodec.Decode(bytes, StreamingJsonContext.Default.StreamInput) is { } input && (input.Event is not null || input.Command is not null)
                ? input
                : Unreadable(bytes, "neither an event nor a command");
        }
        catch (Exception e) when (e is MessagePack.MessagePackSerializationException or System.Text.Json.JsonException)
        {
            return Unreadable(bytes, e.Message);
        }
    }

    public const string InvalidRecord = "invalid_repartition_record";

    private static StreamInput Unreadable(byte[] bytes, string why) => new() { UnreadableReason = $"{InvalidRecord}: {why}", UnreadableBytes = bytes };
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
