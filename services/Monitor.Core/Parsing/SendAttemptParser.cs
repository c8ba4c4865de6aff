using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>Parses the platform's send-attempt records (<c>email.send-attempts</c>).</summary>
public sealed class SendAttemptParser(int maxRecordBytes = RecordLimits.DefaultMaxRecordBytes)
{
    public ParseResult Parse(ReadOnlySpan<byte> utf8) => RecordGuard.Parse(utf8, maxRecordBytes, SendAttemptFastReader.TryRead, ParseAttempt);

    /// <summary>The JsonDocument reader alone, without the guards: the reference the one-pass reader is tested against.</summary>
    internal static ParseResult ParseReference(ReadOnlySpan<byte> utf8) => RecordGuard.ParseReference(utf8, ParseAttempt);

    private static NormalizedEvent ParseAttempt(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"record must be a JSON object, not {root.ValueKind}");

        var f = new AttemptFields { Outcome = JsonFields.RequiredString(root, "outcome", "outcome") };
        if (f.Accepted is null)
            throw new RecordRejectedException(DlqReasons.InvalidValue, $"outcome must be 'accepted' or 'rejected', not '{f.Outcome}'");
        f.MessageId = JsonFields.String(root, "messageId", "messageId");
        if (f.Accepted == true && string.IsNullOrWhiteSpace(f.MessageId))
            throw new RecordRejectedException(DlqReasons.MissingMessageId, "messageId is required when outcome is 'accepted'");
        f.Timestamp = JsonFields.Timestamp(root, "timestamp", "timestamp")
            ?? throw new RecordRejectedException(DlqReasons.MissingField, "timestamp is required");
        f.Source = JsonFields.String(root, "source", "source");
        var error = JsonFields.Object(root, "error", "error");
        f.AccountId = JsonFields.RequiredString(root, "accountId", "accountId");
        f.AttemptId = JsonFields.String(root, "attemptId", "attemptId");
        f.Tenant = JsonFields.String(root, "tenant", "tenant");
        f.ConfigurationSet = JsonFields.String(root, "configurationSet", "configurationSet");
        f.SendingPool = JsonFields.String(root, "sendingPool", "sendingPool");
        f.SendingIp = JsonFields.String(root, "sendingIp", "sendingIp");
        f.CallerIdentity = JsonFields.String(root, "callerIdentity", "callerIdentity");
        f.CallerIp = JsonFields.String(root, "callerIp", "callerIp");
        f.Destinations = JsonFields.StringArray(root, "destinations", "destinations");
        f.ErrorCode = error is { } err ? JsonFields.String(err, "code", "error.code") : null;
        f.ErrorMessage = error is { } err2 ? JsonFields.String(err2, "message", "error.message") : null;
        if (JsonFields.Object(root, "headers", "headers") is { } headers)
            f.HasOneClickUnsubscribe = headers.TryGetProperty(AttemptFields.ListUnsubscribe, out _) &&
                headers.TryGetProperty(AttemptFields.ListUnsubscribePost, out _);
        return f.ToEvent();
    }
}

/// <summary>What both send-attempt readers take from a record, and the one way it becomes an event. A value on the
/// reader's stack: as an object it would be a heap allocation for every attempt read.</summary>
internal struct AttemptFields()
{
    public const string ListUnsubscribe = "List-Unsubscribe", ListUnsubscribePost = "List-Unsubscribe-Post";

    public string? Outcome, MessageId, Source, AccountId, AttemptId, Tenant, ConfigurationSet, SendingPool, SendingIp, CallerIdentity,
        CallerIp, ErrorCode, ErrorMessage;
    public long? Timestamp;
    public string[] Destinations = [];
    public bool HasOneClickUnsubscribe;

    /// <summary>True for 'accepted', false for 'rejected', null for anything else.</summary>
    public readonly bool? Accepted => Outcome switch { "accepted" => true, "rejected" => false, _ => null };

    public readonly NormalizedEvent ToEvent()
    {
        var e = new NormalizedEvent
        {
            Kind = EventKind.Attempt,
            MessageId = string.IsNullOrWhiteSpace(MessageId) ? null : MessageId,
            AccountId = AccountId!,
            TimestampMs = Timestamp!.Value,
            MailTimestampMs = Timestamp.Value,
            EventKey = "",
            AttemptId = AttemptId,
            Tenant = Tenant,
            Source = Source,
            FromDomain = SourceDomains.Of(Source),
            ConfigurationSet = ConfigurationSet,
            SendingPool = SendingPool,
            SendingIp = SendingIp,
            CallerIdentity = CallerIdentity,
            CallerIp = CallerIp,
            Destinations = Destinations,
            Accepted = Accepted == true,
            ErrorCode = ErrorCode,
            Detail = ErrorMessage,
            HasOneClickUnsubscribe = HasOneClickUnsubscribe,
        };
        e.EventKey = EventKeys.For(e, feedbackId: null);
        return e;
    }
}
