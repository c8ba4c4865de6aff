namespace ReputationMonitor.Core.Classification;

/// <summary>The SMTP response classes of the design.</summary>
public static class SmtpClasses
{
    public const string Delivered = "delivered", InvalidRecipient = "invalid_recipient", BadDomain = "bad_domain",
        InactiveMailbox = "inactive_mailbox", MailboxFull = "mailbox_full", MessageTooLarge = "message_too_large",
        Throttled = "throttled", ReputationBlock = "reputation_block", Blocklisted = "blocklisted",
        AuthFailure = "auth_failure", ContentRejected = "content_rejected", Policy = "policy", Transient = "transient",
        Connection = "connection", AutoReply = "auto_reply", Unknown = "unknown";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        Delivered, InvalidRecipient, BadDomain, InactiveMailbox, MailboxFull, MessageTooLarge, Throttled,
        ReputationBlock, Blocklisted, AuthFailure, ContentRejected, Policy, Transient, Connection, AutoReply, Unknown,
    };
}

/// <summary>What an SMTP response means, and why we think so.</summary>
public sealed record SmtpClassification(
    string Class, string? Provider, string? EnhancedStatus, string Explanation, string RuleId);
