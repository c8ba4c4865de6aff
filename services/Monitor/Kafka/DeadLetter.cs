using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Kafka;

public static class DeadLetter
{
    /// <summary>
    /// Past this, a DLQ record could be refused by the broker (1 MB by default), which would stop the stream for
    /// good: such a record keeps its first <see cref="TruncatedBytes"/> and says where the whole one is
    /// (source topic, partition, offset — the input topics keep it for their retention).
    /// </summary>
    public const int MaxValueBytes = 900_000, TruncatedBytes = 64 * 1024;

    /// <summary>The DLQ headers and value for a record: original bytes intact (unless too large to re-publish), the reason, where it came from.</summary>
    public static (Headers Headers, byte[] Value) Prepare(Headers? original, TopicPartitionOffset? source, byte[] value,
        string code, string reason, string sourceTopic)
    {
        EngineMetrics.DeadLetters.WithLabels(code, sourceTopic).Inc();
        var headers = DeadLetterHeaders.Create(original, reason, sourceTopic, source);
        if (value.Length > MaxValueBytes)
        {
            headers.Add(DeadLetterHeaders.Truncated, Encoding.UTF8.GetBytes(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            value = value[..TruncatedBytes];
        }
        return (headers, value);
    }
}
