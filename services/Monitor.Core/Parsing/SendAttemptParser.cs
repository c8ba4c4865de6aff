using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>Parses the platform's send-attempt records (<c>email.send-attempts</c>).</summary>
public sealed class SendAttemptParser(int maxRecordBytes = RecordLimits.DefaultMaxRecordBytes)
{
    public ParseResult Parse(ReadOnlySpan<byte> utf8) => RecordGuard.Parse(utf8, maxRecordBytes, ParseAttempt);

    private static NormalizedEvent ParseAttempt(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"record must be a JSON object, not {root.ValueKind}");

        var outcome = JsonFields.RequiredString(root, "outcome", "outcome");
        var accepted = outcome switch
        {
            "accepted" => true,
            "rejected" => false,
            _ => throw new RecordRejectedException(DlqReasons.InvalidValue, $"outcome must be 'accepted' or 'rejected', not '{outcome}'"),
        };
        var messageId = JsonFields.String(root, "messageId", "messageId");
        if (accepted && string.IsNullOrWhiteSpace(messageId))
            throw new RecordRejectedException(DlqReasons.MissingMessageId, "messageId is required when outcome is 'accepted'");
        var ts = JsonFields.Timestamp(root, "timestamp", "timestamp")
            ?? throw new RecordRejectedException(DlqReasons.MissingField, "timestamp is required");
        var source = JsonFields.String(root, "source", "source");
        var error = JsonFields.Object(root, "error", "error");

        var e = new NormalizedEvent
        {
            Kind = EventKind.Attempt,
            MessageId = string.IsNullOrWhiteSpace(messageId) ? null : messageId,
            AccountId = JsonFields.RequiredString(root, "accountId", "accountId"),
            TimestampMs = ts,
            MailTimestampMs = ts,
            EventKey = "",
            AttemptId = JsonFields.String(root, "attemptId", "attemptId"),
            Tenant = JsonFields.String(root, "tenant", "tenant"),
            Source = source,
            FromDomain = EmailAddress.Domain(source),
            ConfigurationSet = JsonFields.String(root, "configurationSet", "configurationSet"),
            SendingPool = JsonFields.String(root, "sendingPool", "sendingPool"),
            SendingIp = JsonFields.String(root, "sendingIp", "sendingIp"),
            CallerIdentity = JsonFields.String(root, "callerIdentity", "callerIdentity"),
            CallerIp = JsonFields.String(root, "callerIp", "callerIp"),
            Destinations = JsonFields.StringArray(root, "destinations", "destinations"),
            Accepted = accepted,
            ErrorCode = error is { } err ? JsonFields.String(err, "code", "error.code") : null,
            Detail = error is { } err2 ? JsonFields.String(err2, "message", "error.message") : null,
        };
        if (JsonFields.Object(root, "headers", "headers") is { } headers)
            e.HasOneClickUnsubscribe = headers.TryGetProperty("List-Unsubscribe", out _) &&
                headers.TryGetProperty("List-Unsubscribe-Post", out _);
        e.EventKey = EventKeys.For(e, feedbackId: null);
        return e;
    }
}
