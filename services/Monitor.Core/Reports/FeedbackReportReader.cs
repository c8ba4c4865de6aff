using MimeKit;
using MimeKit.Utils;

namespace ReputationMonitor.Core.Reports;

/// <summary>
/// Reads raw ARF messages (RFC 5965 <c>multipart/report; report-type=feedback-report</c>, as Yahoo CFL, Microsoft
/// JMRP and others send them) with MimeKit. The reported message is found in the third part, whole
/// (<c>message/rfc822</c>) or as headers only (<c>text/rfc822-headers</c>). Anything that is not a feedback report
/// throws <see cref="FeedbackReportException"/> with the reason, so the record can go to the DLQ.
/// </summary>
public static class FeedbackReportReader
{
    public const string NotMime = "invalid_feedback_report", NotAReport = "not_a_feedback_report", NoMessageId = "feedback_report_without_message_id";

    public static FeedbackReport Read(byte[] raw, int maxBytes)
    {
        if (raw.Length == 0) throw new FeedbackReportException(NotMime, "the record is empty");
        if (raw.Length > maxBytes) throw new FeedbackReportException(NotMime, $"the record has {raw.Length} bytes, more than {maxBytes}");
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException e)
        {
            throw new FeedbackReportException(NotMime, $"not a MIME message: {e.Message}");
        }
        using (message)
            return Read(message);
    }

    private static FeedbackReport Read(MimeMessage message)
    {
        if (message.Body is not MultipartReport report || !string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase))
            throw new FeedbackReportException(NotAReport,
                $"the message is {message.Body?.ContentType.MimeType ?? "empty"}{(message.Body is MultipartReport r ? $"; report-type={r.ReportType}" : "")}, not multipart/report; report-type=feedback-report");
        var fields = report.OfType<MessageFeedbackReport>().FirstOrDefault()?.Fields
            ?? throw new FeedbackReportException(NotAReport, "the report has no message/feedback-report part");
        var feedbackType = fields["Feedback-Type"]?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(feedbackType))
            throw new FeedbackReportException(NotAReport, "the feedback report has no Feedback-Type field");

        var original = report.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        var messageId = original?.MessageId ?? Unbracket(original?.Headers["Message-ID"]);
        if (string.IsNullOrEmpty(messageId))
            throw new FeedbackReportException(NoMessageId, "the returned message or headers carry no Message-ID, so the complaint cannot be attributed");

        var recipient = Address(fields["Original-Rcpt-To"]) ?? SingleAddress(original?.To);
        var from = original?.From.Mailboxes.FirstOrDefault()?.Address;
        return new FeedbackReport
        {
            FeedbackType = feedbackType,
            UserAgent = fields["User-Agent"]?.Trim(),
            OriginalMessageId = messageId,
            Recipient = recipient,
            OriginalMailFrom = Address(fields["Original-Mail-From"]),
            FromDomain = from is null ? Domain(fields["Reported-Domain"]) : from[(from.LastIndexOf('@') + 1)..].ToLowerInvariant(),
            SourceIp = fields["Source-IP"]?.Trim(),
            ReportingMta = fields["Reporting-MTA"]?.Trim(),
            ArrivalDate = Date(fields["Arrival-Date"] ?? fields["Received-Date"]) ?? (message.Date == DateTimeOffset.MinValue ? null : message.Date),
        };
    }

    private static string? Unbracket(string? id) => id?.Trim().Trim('<', '>') is { Length: > 0 } s ? s : null;

    private static string? Address(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var value = field.Trim();
        var colon = value.IndexOf(';'); // "rfc822; user@example.com"
        if (colon >= 0) value = value[(colon + 1)..].Trim();
        value = value.Trim('<', '>', ' ');
        return value.Contains('@') && !value.Contains(' ') ? value.ToLowerInvariant() : null;
    }

    private static string? SingleAddress(InternetAddressList? list) =>
        list?.Mailboxes.ToList() is [var only] && only.Address.Contains('@') ? only.Address.ToLowerInvariant() : null;

    private static string? Domain(string? field) => string.IsNullOrWhiteSpace(field) ? null : field.Trim().ToLowerInvariant();

    private static DateTimeOffset? Date(string? field) =>
        field is not null && DateUtils.TryParse(field, out var date) ? date : null;
}
