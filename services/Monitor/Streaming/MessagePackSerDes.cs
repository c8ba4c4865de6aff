using Confluent.Kafka;
using MessagePack;
using MessagePack.Resolvers;
using Streamiz.Kafka.Net.SerDes;

namespace ReputationMonitor.Streaming;

/// <summary>
/// MessagePack for the stream's own records (the by-account repartition): nobody else reads them, and decoding the
/// repartitioned event as JSON was the largest single cost on the stream thread (22 % of it, docs/benchmarks.md).
/// Contractless: property names are the keys, so the core's types need no attributes.
/// </summary>
public sealed class MessagePackSerDes<T> : AbstractSerDes<T> where T : class
{
    public static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    public override byte[] Serialize(T data, SerializationContext context) =>
        data is null ? null! : MessagePackSerializer.Serialize(data, Options);

    public override T Deserialize(byte[] data, SerializationContext context) =>
        data is null ? null! : MessagePackSerializer.Deserialize<T>(data, Options);
}
