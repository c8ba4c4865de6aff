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

/// <summary>
/// What an SMTP response means, and why we think so: the rule that decided, the precedence step it belongs
/// to and the source it was written from; what the response says is limited (<see cref="Scope"/>) and the
/// IP address, network or domain it names (<see cref="Entity"/>).
/// </summary>
public sealed record SmtpClassification(
    string Class, string? Provider, string? EnhancedStatus, string Explanation, string RuleId,
    string Step = PrecedenceSteps.None, string? Source = null, string? Scope = null, string? Entity = null)
{
    /// <summary>
    /// What the windows record for this response: the rule, and the scope when the text rather than the rule
    /// named it ("rule/ip"), so findings can be raised on the limited entity.
    /// </summary>
    public string Key { get; init; } = RuleId;
}
