using ReputationMonitor.Core.Model;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine;

/// <summary>What reaches the reputation processor, partitioned by account: an event or an operator command.</summary>
public sealed class StreamInput
{
    public NormalizedEvent? Event { get; set; }
    public Core.Rules.OperatorCommand? Command { get; set; }

    /// <summary>A by-account record that could not be read (not written by this service, or corrupt): the DLQ's, not the engine's.
    /// Never written to the topic.</summary>
    [MessagePack.IgnoreMember]
    public string? UnreadableReason { get; init; }

    /// <summary>The unreadable record's bytes, for the DLQ.</summary>
    [MessagePack.IgnoreMember]
    public byte[]? UnreadableBytes { get; init; }

    /// <summary>Reads a by-account record; never throws — an unreadable one comes back with <see cref="UnreadableReason"/>.</summary>
    public static StreamInput Read(byte[] bytes)
    {
        try
        {
            return StateCodec.Decode<StreamInput>(bytes) is { } input && (input.Event is not null || input.Command is not null)
                ? input
                : Unreadable(bytes, "neither an event nor a command");
        }
        catch (MessagePack.MessagePackSerializationException e)
        {
            return Unreadable(bytes, e.Message);
        }
    }

    public const string InvalidRecord = "invalid_repartition_record";

    private static StreamInput Unreadable(byte[] bytes, string why) => new() { UnreadableReason = $"{InvalidRecord}: {why}", UnreadableBytes = bytes };
}
