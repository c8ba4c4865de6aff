namespace ReputationMonitor.Kafka;

/// <summary>
/// The partition the Java client's default partitioner and librdkafka's <c>murmur2</c> / <c>murmur2_random</c> give a
/// non-null key. Confluent.Kafka exposes no way to call librdkafka's partitioner, and the partition processor must know,
/// before producing, whether a record's by-account partition is one it holds itself (then it skips the topic).
/// <c>KafkaPartitionerTests</c> checks it against the client's own partitioner on the broker.
/// </summary>
public static class KafkaPartitioner
{
    public static int Murmur2Partition(ReadOnlySpan<byte> key, int partitions) =>
        (int)((Murmur2(key) & 0x7fffffff) % (uint)partitions);

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), as <c>org.apache.kafka.common.utils.Utils.murmur2</c>.</summary>
    public static uint Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        var tail = data[(length & ~3)..];
        switch (tail.Length)
        {
            case 3:
                h ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                h ^= tail[0];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
    }
}
