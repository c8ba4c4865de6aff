using System.Text.Json;
using System.Text.Json.Serialization;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Writes a bucket's counters as [index, value, index, value, ...] for the non-zero ones only. A bucket has
/// 54 counters (6 providers × 9) and typically a handful set, so state and changelog records shrink several
/// times (the embedded broker keeps only ~5 MB per partition). It is for size, not end-to-end throughput:
/// serialization is not the bottleneck there.
/// </summary>
public sealed class SparseCountsConverter : JsonConverter<long[]>
{
    private const int Length = Providers.Count * Counters.Count;

    public override long[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var counts = new long[Length];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("counts must be an array");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = reader.GetInt32();
            if (!reader.Read()) throw new JsonException("counts: index without value");
            if ((uint)index >= Length) throw new JsonException($"counts: index {index} out of range");
            counts[index] = reader.GetInt64();
        }
        return counts;
    }

    public override void Write(Utf8JsonWriter writer, long[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == 0) continue;
            writer.WriteNumberValue(i);
            writer.WriteNumberValue(value[i]);
        }
        writer.WriteEndArray();
    }
}
