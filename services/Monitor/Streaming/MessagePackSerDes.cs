using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using MessagePack;
using MessagePack.Resolvers;
using Streamiz.Kafka.Net.SerDes;

namespace ReputationMonitor.Streaming;

/// <summary>
/// MessagePack for the stream's own records (the by-account repartition): nobody else reads them, and decoding the
/// repartitioned event as JSON would be one of the largest costs on the stream thread.
/// Contractless: property names are the keys, so the core's types need no attributes. JSON records left on the topic
/// (by a rolling upgrade from the JSON layout) are still read.
/// </summary>
public sealed class MessagePackSerDes<T>(JsonTypeInfo<T> earlierJson) : AbstractSerDes<T> where T : class
{
    public override byte[] Serialize(T data, SerializationContext context) => data is null ? null! : StateCodec.Encode(data);

    public override T Deserialize(byte[] data, SerializationContext context) => data is null ? null! : StateCodec.Decode(data, earlierJson);
}

/// <summary>
/// The by-account records under Streamiz: an unreadable one is handed on marked (<see cref="StreamInput.UnreadableReason"/>)
/// instead of throwing, which would stop the stream; the transformer sends it to the DLQ, as the partition runtime does.
/// </summary>
public sealed class RepartitionSerDes : AbstractSerDes<StreamInput>
{
    public override byte[] Serialize(StreamInput data, SerializationContext context) => data is null ? null! : StateCodec.Encode(data);

    public override StreamInput Deserialize(byte[] data, SerializationContext context) => StreamInput.Read(data ?? []);
}

/// <summary>
/// How the stream's state (ledgers, account aggregates, dimension windows) is encoded in its store and changelog:
/// MessagePack: smaller than JSON and faster to write and to read (StateCodecBenchmarks compares the two). Every changed
/// object is written once per commit, so this is the cost that grows with the number of active accounts.
/// JSON values (the older encoding) are still read (a MessagePack map never starts with '{').
/// </summary>
public static class StateCodec
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard.WithResolver(
        CompositeResolver.Create([new MessageLedgerFormatter(), RecipientStateFormatter.Instance, NormalizedEventFormatter.Instance],
            [ContractlessStandardResolver.Instance]));

    public static byte[] Encode<T>(T value) => MessagePackSerializer.Serialize(value, Options);

    public static T Decode<T>(byte[] bytes, JsonTypeInfo<T> earlierJson) =>
        bytes.Length > 0 && bytes[0] == (byte)'{'
            ? JsonSerializer.Deserialize(bytes, earlierJson)!
            : MessagePackSerializer.Deserialize<T>(bytes, Options);
}
