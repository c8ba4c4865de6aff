using MessagePack;
using MessagePack.Formatters;
using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// A window bucket as <c>[version, start, providerMask, [counts...], [key, count, key, count...] | nil]</c>. Buckets are most
/// of an entity's stored bytes, and a contractless map spells its four property names in each of them (more bytes than a
/// bucket's counts). Buckets stored as maps (the layout before) are still read.
/// </summary>
internal sealed class CounterBucketFormatter : IMessagePackFormatter<CounterBucket?>
{
    public static readonly CounterBucketFormatter Instance = new();
    private const int Version = 1, Fields = 5;

    public void Serialize(ref MessagePackWriter writer, CounterBucket? b, MessagePackSerializerOptions options)
    {
        if (!ArrayLayout.TryBeginWrite(ref writer, b, Version, Fields)) return;
        writer.Write(b.StartMs);
        writer.Write(b.ProviderMask);
        writer.WriteArrayHeader(b.Counts.Length);
        foreach (var n in b.Counts) writer.Write(n);
        var responses = b.ResponseCounts;
        if (responses.IsEmpty)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteArrayHeader(responses.Length * 2);
        foreach (var (key, n) in responses)
        {
            writer.Write(key);
            writer.Write(n);
        }
    }

    public CounterBucket? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType == MessagePackType.Map) return DeserializeMap(ref reader);
        if (!ArrayLayout.TryBegin(ref reader, nameof(CounterBucket), Version, Fields, out var count)) return null;
        var b = new CounterBucket { StartMs = reader.ReadInt64(), ProviderMask = reader.ReadInt32(), Counts = ReadCounts(ref reader) };
        if (!reader.TryReadNil())
        {
            var n = reader.ReadArrayHeader() / 2;
            for (var i = 0; i < n; i++) b.CountResponse(ResponseKeys.Intern(reader.ReadString()!), reader.ReadInt64());
        }
        ArrayLayout.SkipRest(ref reader, Fields, count);
        return b;
    }

    /// <summary>The contractless layout: a map of the properties by name, Responses a map of its own.</summary>
    private static CounterBucket DeserializeMap(ref MessagePackReader reader)
    {
        var b = new CounterBucket();
        var fields = reader.ReadMapHeader();
        for (var f = 0; f < fields; f++)
        {
            switch (reader.ReadString())
            {
                case nameof(CounterBucket.StartMs): b.StartMs = reader.ReadInt64(); break;
                case nameof(CounterBucket.ProviderMask): b.ProviderMask = reader.ReadInt32(); break;
                case nameof(CounterBucket.Counts): b.Counts = ReadCounts(ref reader); break;
                case "Responses": ReadResponseMap(ref reader, b); break;
                default: reader.Skip(); break;
            }
        }
        return b;
    }

    private static void ReadResponseMap(ref MessagePackReader reader, CounterBucket b)
    {
        if (reader.TryReadNil()) return;
        var n = reader.ReadMapHeader();
        for (var i = 0; i < n; i++) b.CountResponse(ResponseKeys.Intern(reader.ReadString()!), reader.ReadInt64());
    }

    /// <summary>Written as 64-bit before (the values fit 32 bits; MessagePack writes the smallest form either way).</summary>
    private static int[] ReadCounts(ref MessagePackReader reader)
    {
        var counts = new int[reader.ReadArrayHeader()];
        for (var i = 0; i < counts.Length; i++) counts[i] = reader.ReadInt32();
        return counts;
    }
}
