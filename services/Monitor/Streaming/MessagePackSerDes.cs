using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using MessagePack;
using MessagePack.Resolvers;
using Streamiz.Kafka.Net.SerDes;

namespace ReputationMonitor.Streaming;

/// <summary>
/// MessagePack for the stream's own records (the by-account repartition): nobody else reads them, and decoding the
/// repartitioned event as JSON was the largest single cost on the stream thread (22 % of it, docs/benchmarks.md).
/// Contractless: property names are the keys, so the core's types need no attributes. JSON records left on the topic by
/// an earlier version (a rolling upgrade) are still read.
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
/// MessagePack: for a busy account's aggregate 12 KB instead of 19 KB, written 2.9x and read 6x faster than JSON
/// (StateCodecBenchmarks). Every changed object is written once per commit, so this is the cost that grows with the
/// number of active accounts (docs/benchmarks.md).
/// JSON values written by earlier versions are still read (a MessagePack map never starts with '{').
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
