using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace ReputationMonitor.Streaming;

/// <summary>JSON serdes over source-generated type info (no reflection per record).</summary>
public sealed class JsonSerDes<T>(JsonTypeInfo<T> typeInfo) : AbstractSerDes<T> where T : class
{
    public override byte[] Serialize(T data, SerializationContext context) =>
        data is null ? null! : JsonSerializer.SerializeToUtf8Bytes(data, typeInfo);

    public override T Deserialize(byte[] data, SerializationContext context) =>
        data is null ? null! : JsonSerializer.Deserialize(data, typeInfo)!;
}
