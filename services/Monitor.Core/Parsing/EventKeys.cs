using System.IO.Hashing;
using System.Text;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// A stable identity per event, so that the same record delivered twice is recognised:
/// SES feedback ids where SES gives one, otherwise a hash of what makes the event distinct.
/// </summary>
public static class EventKeys
{
    public static string For(NormalizedEvent e, string? feedbackId)
    {
        var kind = e.Kind.ToString();
        if (!string.IsNullOrEmpty(feedbackId)) return $"{kind}:{feedbackId}";
        if (e.Kind == EventKind.Attempt && !string.IsNullOrEmpty(e.AttemptId)) return $"{kind}:{e.AttemptId}";
        var sb = new StringBuilder(kind).Append('|').Append(e.MessageId).Append('|').Append(e.AccountId)
            .Append('|').Append(e.TimestampMs);
        foreach (var r in e.Recipients) sb.Append('|').Append(r.Email);
        if (e.Kind == EventKind.Attempt) foreach (var d in e.Destinations) sb.Append('|').Append(d);
        sb.Append('|').Append(e.ErrorCode).Append('|').Append(e.Detail);
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(sb.ToString()));
        return $"{kind}:{hash:x16}";
    }
}
