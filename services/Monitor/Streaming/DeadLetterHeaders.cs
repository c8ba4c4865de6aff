using System.Text;
using Confluent.Kafka;

namespace ReputationMonitor.Streaming;

/// <summary>Headers every DLQ record carries: why it is there and where it came from.</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "reason";
    public const string SourceTopic = "source-topic";

    public static Headers Create(Headers? original, string reason, string sourceTopic)
    {
        var headers = new Headers();
        if (original is not null)
            foreach (var h in original)
                if (h.Key is not Reason and not SourceTopic) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(Reason, Encoding.UTF8.GetBytes(reason));
        headers.Add(SourceTopic, Encoding.UTF8.GetBytes(sourceTopic));
        return headers;
    }
}
