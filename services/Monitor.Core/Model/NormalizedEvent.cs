namespace ReputationMonitor.Core.Model;

/// <summary>
/// One send attempt or SES event in a single shape, whatever format it arrived in
/// (event publishing, SNS notification, SNS envelope, or the platform's send-attempt record).
/// </summary>
public sealed class NormalizedEvent
{
    public EventKind Kind { get; set; }
    public string? MessageId { get; set; }
    public required string AccountId { get; set; }

    /// <summary>When this event happened (bounce/complaint/delivery timestamp; attempt time), Unix ms.</summary>
    public long TimestampMs { get; set; }

    /// <summary>When the message was sent (<c>mail.timestamp</c>, or the attempt time), Unix ms.</summary>
    public long MailTimestampMs { get; set; }

    /// <summary>Stable identity of this event, for deduplicating traces (feedback id, or a content hash).</summary>
    public required string EventKey { get; set; }

    public string? AttemptId { get; set; }
    public string? Source { get; set; }
    public string? FromDomain { get; set; }
    public string? ConfigurationSet { get; set; }
    public string? Tenant { get; set; }
    public string? SendingPool { get; set; }
    public string? SendingIp { get; set; }
    public string? CallerIdentity { get; set; }
    public string? CallerIp { get; set; }
    public string[] Destinations { get; set; } = [];

    /// <summary>Recipients this event is about, with their SMTP detail (bounced, complained, delivered, delayed).</summary>
    public RecipientDetail[] Recipients { get; set; } = [];

    /// <summary>Attempt outcome: true when the platform accepted the request.</summary>
    public bool Accepted { get; set; }
    public string? ErrorCode { get; set; }

    /// <summary>Attempt carried List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click).</summary>
    public bool HasOneClickUnsubscribe { get; set; }

    public string? BounceType { get; set; }
    public string? BounceSubType { get; set; }
    public string? ComplaintFeedbackType { get; set; }
    public string? DelayType { get; set; }
    public string? ReportingMta { get; set; }

    /// <summary>Human detail: reject reason, rendering error, attempt error message, or SMTP response.</summary>
    public string? Detail { get; set; }
}

public sealed class RecipientDetail
{
    public required string Email { get; set; }
    public string? Status { get; set; }
    public string? Diagnostic { get; set; }
}
