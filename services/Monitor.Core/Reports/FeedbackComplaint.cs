using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Reports;

/// <summary>
/// Turns an ARF report, once its message is found, into the SES complaint event the stream already understands
/// (event-publishing shape, <c>mail</c> from the message's own trace), so a feedback-loop complaint is counted, suppressed
/// and deduplicated exactly like an SES complaint: once per recipient and message, whichever arrives first.
/// </summary>
public static class FeedbackComplaint
{
    /// <summary>The recipient the complaint is about, or null with the reason it cannot be told.</summary>
    public static (string? Recipient, string? Problem) RecipientOf(FeedbackReport report, NormalizedEvent message)
    {
        if (report.Recipient is { } named
            && message.Destinations.FirstOrDefault(d => string.Equals(d, named, StringComparison.OrdinalIgnoreCase)) is { } found)
            return (found, null);
        if (message.Destinations is [var only]) return (only, null);
        return (null, report.Recipient is null
            ? $"the report names no recipient (redacted) and message {message.MessageId} had {message.Destinations.Length} recipients"
            : $"the report's recipient is not one of message {message.MessageId}'s {message.Destinations.Length} recipients");
    }

    /// <summary>The SES event-publishing complaint record for <paramref name="recipient"/>, keyed by the message id.</summary>
    public static byte[] ToSesEvent(FeedbackReport report, NormalizedEvent message, string recipient, byte[] rawReport, DateTimeOffset received)
    {
        var at = report.ArrivalDate ?? received;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eventType", "Complaint");
            w.WriteStartObject("mail");
            w.WriteString("timestamp", DateTimeOffset.FromUnixTimeMilliseconds(message.MailTimestampMs).ToString("O"));
            w.WriteString("messageId", message.MessageId);
            w.WriteString("source", message.Source);
            w.WriteString("sendingAccountId", message.AccountId);
            w.WriteStartArray("destination");
            foreach (var d in message.Destinations) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteStartObject("tags");
            Tag(w, "ses:configuration-set", message.ConfigurationSet);
            Tag(w, "ses:from-domain", message.FromDomain);
            Tag(w, "ses:outgoing-ip", message.SendingIp);
            Tag(w, "ses:caller-identity", message.CallerIdentity);
            Tag(w, "ses:source-ip", message.CallerIp);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("complaint");
            w.WriteStartArray("complainedRecipients");
            w.WriteStartObject();
            w.WriteString("emailAddress", recipient);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("timestamp", at.ToUniversalTime().ToString("O"));
            w.WriteString("feedbackId", FeedbackId(rawReport));
            w.WriteString("complaintFeedbackType", report.FeedbackType);
            w.WriteNull("complaintSubType");
            w.WriteString("userAgent", report.UserAgent);
            w.WriteString("arrivalDate", at.ToUniversalTime().ToString("O"));
            w.WriteString("source", "arf");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Stable per report, so a report read twice is the same event (traces keep it once).</summary>
    public static string FeedbackId(byte[] rawReport) => $"arf-{XxHash64.HashToUInt64(rawReport):x16}";

    private static void Tag(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) return;
        w.WriteStartArray(name);
        w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
