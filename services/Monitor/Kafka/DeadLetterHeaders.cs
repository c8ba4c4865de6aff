using System.Text;
using Confluent.Kafka;

namespace ReputationMonitor.Kafka;

/// <summary>Headers every DLQ record carries: why it is there and where it came from.</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "reason";
    public const string SourceTopic = "source-topic";
    public const string SourcePartition = "source-partition", SourceOffset = "source-offset";

    /// <summary>Set when the value was cut to fit the DLQ; holds the original size in bytes.</summary>
    public const string Truncated = "truncated-from-bytes";

    public static Headers Create(Headers? original, string reason, string sourceTopic, TopicPartitionOffset? source = null)
    {
        var headers = new Headers();
        if (original is not null)
            foreach (var h in original)
                if (h.Key is not (Reason or SourceTopic or SourcePartition or SourceOffset or Truncated)) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(Reason, Encoding.UTF8.GetBytes(reason));
        headers.Add(SourceTopic, Encoding.UTF8.GetBytes(sourceTopic));
        if (source is not null)
        {
            headers.Add(SourcePartition, Encoding.UTF8.GetBytes(source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            headers.Add(SourceOffset, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return headers;
    }
}
