namespace ReputationMonitor.Core.Reports;

/// <summary>
/// A complaint feedback-loop report (ARF, RFC 5965) as far as attribution needs it: what kind of feedback, about
/// which message (its Message-ID from the returned headers) and which recipient, when, from whom.
/// </summary>
public sealed record FeedbackReport
{
    /// <summary>RFC 5965 Feedback-Type, lower case: abuse, fraud, virus, other, not-spam, auth-failure.</summary>
    public required string FeedbackType { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>Message-ID of the reported message, without angle brackets.</summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>The complainant: Original-Rcpt-To, else the returned headers' single To address (often redacted).</summary>
    public string? Recipient { get; init; }
    public string? OriginalMailFrom { get; init; }
    public string? FromDomain { get; init; }
    public string? SourceIp { get; init; }
    public string? ReportingMta { get; init; }

    /// <summary>Arrival-Date (or Received-Date), else the report's own Date; null if neither.</summary>
    public DateTimeOffset? ArrivalDate { get; init; }

    /// <summary>The message ids a sender's own id may be in: SES's is the Message-ID's local part.</summary>
    public IEnumerable<string> CandidateMessageIds()
    {
        if (OriginalMessageId is not { Length: > 0 } id) yield break;
        var at = id.IndexOf('@');
        if (at > 0) yield return id[..at];
        yield return id;
    }
}

/// <summary>Why a feedback report could not be read: a stable code for the DLQ and the words for a person.</summary>
public sealed class FeedbackReportException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
