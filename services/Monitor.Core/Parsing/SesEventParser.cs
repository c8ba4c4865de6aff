using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// Parses the three shapes SES feedback arrives in — event publishing (<c>eventType</c>),
/// SNS notifications (<c>notificationType</c>) and SNS envelopes (<c>Type: Notification</c> with the
/// record as a JSON string in <c>Message</c>) — into <see cref="NormalizedEvent"/>.
/// Never throws on bad input: the result names the reason instead.
/// </summary>
public sealed class SesEventParser(int maxRecordBytes = RecordLimits.DefaultMaxRecordBytes)
{
    public ParseResult Parse(ReadOnlySpan<byte> utf8) => RecordGuard.Parse(utf8, maxRecordBytes, SesEventFastReader.TryRead, ReadReference);

    /// <summary>The JsonDocument reader alone, without the guards: the reference the one-pass reader is tested against.</summary>
    internal static ParseResult ParseReference(ReadOnlySpan<byte> utf8) => RecordGuard.ParseReference(utf8, ReadReference);

    private static NormalizedEvent ReadReference(JsonElement root) => ParseRoot(root, envelopeDepth: 0);

    private static NormalizedEvent ParseRoot(JsonElement root, int envelopeDepth)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"record must be a JSON object, not {root.ValueKind}");

        var envelopeType = JsonFields.String(root, "Type", "Type");
        if (envelopeType is not null)
        {
            if (envelopeType != "Notification")
                throw new RecordRejectedException(DlqReasons.UnknownEventType, $"SNS envelope Type '{envelopeType}' carries no SES event");
            if (envelopeDepth > 0)
                throw new RecordRejectedException(DlqReasons.InvalidValue, "SNS envelope nested inside an SNS envelope");
            var message = JsonFields.RequiredString(root, "Message", "Message");
            using var inner = JsonDocument.Parse(message, RecordGuard.Options);
            return ParseRoot(inner.RootElement, envelopeDepth + 1);
        }

        var typeName = JsonFields.String(root, "eventType", "eventType");
        var typePath = "eventType";
        if (typeName is null)
        {
            typeName = JsonFields.String(root, "notificationType", "notificationType");
            typePath = "notificationType";
        }
        if (typeName is null)
            throw new RecordRejectedException(DlqReasons.UnknownEventType, "record has neither eventType, notificationType nor an SNS envelope Type");
        var kind = KindOf(typeName)
            ?? throw new RecordRejectedException(DlqReasons.UnknownEventType, $"{typePath} '{typeName}' is not an SES event type");

        return ParseEvent(root, kind);
    }

    internal static EventKind? KindOf(string name) => name switch
    {
        "Send" => EventKind.Send,
        "Reject" => EventKind.Reject,
        "Bounce" => EventKind.Bounce,
        "Complaint" => EventKind.Complaint,
        "Delivery" => EventKind.Delivery,
        "Rendering Failure" or "RenderingFailure" => EventKind.RenderingFailure,
        "DeliveryDelay" => EventKind.DeliveryDelay,
        "Subscription" => EventKind.Subscription,
        "Open" => EventKind.Open,
        "Click" => EventKind.Click,
        _ => null,
    };

    private static NormalizedEvent ParseEvent(JsonElement root, EventKind kind)
    {
        var mail = JsonFields.Object(root, "mail", "mail")
            ?? throw new RecordRejectedException(DlqReasons.MissingField, "mail is required");
        var messageId = JsonFields.String(mail, "messageId", "mail.messageId");
        if (string.IsNullOrWhiteSpace(messageId))
            throw new RecordRejectedException(DlqReasons.MissingMessageId, "mail.messageId is required");
        var account = JsonFields.String(mail, "sendingAccountId", "mail.sendingAccountId");
        if (string.IsNullOrWhiteSpace(account))
            throw new RecordRejectedException(DlqReasons.MissingField, "mail.sendingAccountId is required");
        var mailTs = JsonFields.Timestamp(mail, "timestamp", "mail.timestamp")
            ?? throw new RecordRejectedException(DlqReasons.MissingField, "mail.timestamp is required");
        var tags = JsonFields.Object(mail, "tags", "mail.tags");
        var source = JsonFields.String(mail, "source", "mail.source");
        var e = NewEvent(kind, messageId, account, mailTs, source,
            new MailTags(JsonFields.Tag(tags, MailTags.FromDomainTag), JsonFields.Tag(tags, MailTags.ConfigurationSetTag),
                JsonFields.Tag(tags, MailTags.OutgoingIpTag), JsonFields.Tag(tags, MailTags.CallerIdentityTag), JsonFields.Tag(tags, MailTags.SourceIpTag)),
            JsonFields.StringArray(mail, "destination", "mail.destination"));
        string? feedbackId = null;

        switch (kind)
        {
            case EventKind.Bounce:
            {
                var b = Section(root, "bounce");
                e.BounceType = JsonFields.RequiredString(b, "bounceType", "bounce.bounceType");
                e.BounceSubType = JsonFields.String(b, "bounceSubType", "bounce.bounceSubType");
                e.ReportingMta = JsonFields.String(b, "reportingMTA", "bounce.reportingMTA");
                e.TimestampMs = JsonFields.Timestamp(b, "timestamp", "bounce.timestamp") ?? mailTs;
                feedbackId = JsonFields.String(b, "feedbackId", "bounce.feedbackId");
                e.Recipients = Recipients(b, "bouncedRecipients", "bounce.bouncedRecipients", required: true);
                break;
            }
            case EventKind.Complaint:
            {
                var c = Section(root, "complaint");
                e.ComplaintFeedbackType = JsonFields.String(c, "complaintFeedbackType", "complaint.complaintFeedbackType");
                e.TimestampMs = JsonFields.Timestamp(c, "timestamp", "complaint.timestamp") ?? mailTs;
                feedbackId = JsonFields.String(c, "feedbackId", "complaint.feedbackId");
                e.Recipients = Recipients(c, "complainedRecipients", "complaint.complainedRecipients", required: true);
                break;
            }
            case EventKind.Delivery:
            {
                var d = Section(root, "delivery");
                e.TimestampMs = JsonFields.Timestamp(d, "timestamp", "delivery.timestamp") ?? mailTs;
                e.Detail = JsonFields.String(d, "smtpResponse", "delivery.smtpResponse");
                e.ReportingMta = JsonFields.String(d, "reportingMTA", "delivery.reportingMTA");
                e.Recipients = Delivered(JsonFields.StringArray(d, "recipients", "delivery.recipients"), e.Detail);
                break;
            }
            case EventKind.DeliveryDelay:
            {
                var d = Section(root, "deliveryDelay");
                e.TimestampMs = JsonFields.Timestamp(d, "timestamp", "deliveryDelay.timestamp") ?? mailTs;
                e.DelayType = JsonFields.String(d, "delayType", "deliveryDelay.delayType");
                e.ReportingMta = JsonFields.String(d, "reportingMTA", "deliveryDelay.reportingMTA");
                e.Recipients = Recipients(d, "delayedRecipients", "deliveryDelay.delayedRecipients", required: true);
                break;
            }
            case EventKind.Reject:
                e.Detail = JsonFields.String(Section(root, "reject"), "reason", "reject.reason");
                break;
            case EventKind.RenderingFailure:
            {
                var f = Section(root, "failure");
                var template = JsonFields.String(f, "templateName", "failure.templateName");
                var error = JsonFields.String(f, "errorMessage", "failure.errorMessage");
                e.Detail = RenderingDetail(template, error);
                break;
            }
            case EventKind.Open or EventKind.Click or EventKind.Subscription:
            {
                var name = kind switch { EventKind.Open => "open", EventKind.Click => "click", _ => "subscription" };
                if (JsonFields.Object(root, name, name) is { } s)
                    e.TimestampMs = JsonFields.Timestamp(s, "timestamp", $"{name}.timestamp") ?? mailTs;
                break;
            }
        }

        e.EventKey = EventKeys.For(e, feedbackId);
        return e;
    }

    /// <summary>The part of an event both readers build the same way: its mail object.</summary>
    internal static NormalizedEvent NewEvent(EventKind kind, string messageId, string account, long mailTs, string? source, MailTags tags,
        string[] destinations) => new()
    {
        Kind = kind,
        MessageId = messageId,
        AccountId = account,
        MailTimestampMs = mailTs,
        TimestampMs = mailTs,
        EventKey = "",
        Source = source,
        FromDomain = tags.FromDomain is { } fromDomain ? EmailAddress.Lower(fromDomain) : SourceDomains.Of(source),
        ConfigurationSet = tags.ConfigurationSet,
        SendingIp = tags.OutgoingIp,
        CallerIdentity = tags.CallerIdentity,
        CallerIp = tags.SourceIp,
        Destinations = destinations,
        Accepted = true,
    };

    internal static RecipientDetail[] Delivered(string[] recipients, string? smtpResponse)
    {
        var result = new RecipientDetail[recipients.Length];
        for (var i = 0; i < recipients.Length; i++) result[i] = new RecipientDetail { Email = recipients[i], Diagnostic = smtpResponse };
        return result;
    }

    internal static string? RenderingDetail(string? template, string? error) => template is null ? error : $"template '{template}': {error}";

    private static JsonElement Section(JsonElement root, string name) =>
        JsonFields.Object(root, name, name) ?? throw new RecordRejectedException(DlqReasons.MissingField, $"{name} is required for this event type");

    private static RecipientDetail[] Recipients(JsonElement section, string name, string path, bool required)
    {
        if (!section.TryGetProperty(name, out var arr) || arr.ValueKind == JsonValueKind.Null)
        {
            if (required) throw new RecordRejectedException(DlqReasons.MissingField, $"{path} is required");
            return [];
        }
        if (arr.ValueKind != JsonValueKind.Array)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path} must be an array, not {arr.ValueKind}");
        var result = new RecipientDetail[arr.GetArrayLength()];
        var i = 0;
        foreach (var r in arr.EnumerateArray())
        {
            var at = $"{path}[{i}]";
            if (r.ValueKind != JsonValueKind.Object)
                throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{at} must be an object, not {r.ValueKind}");
            result[i++] = new RecipientDetail
            {
                Email = JsonFields.RequiredString(r, "emailAddress", $"{at}.emailAddress"),
                Status = JsonFields.String(r, "status", $"{at}.status"),
                Diagnostic = JsonFields.String(r, "diagnosticCode", $"{at}.diagnosticCode"),
            };
        }
        return result;
    }
}

/// <summary>The SES tags the monitor reads from <c>mail.tags</c>.</summary>
internal readonly record struct MailTags(string? FromDomain, string? ConfigurationSet, string? OutgoingIp, string? CallerIdentity, string? SourceIp)
{
    public const string FromDomainTag = "ses:from-domain", ConfigurationSetTag = "ses:configuration-set", OutgoingIpTag = "ses:outgoing-ip",
        CallerIdentityTag = "ses:caller-identity", SourceIpTag = "ses:source-ip";
}

public static class RecordLimits
{
    public const int DefaultMaxRecordBytes = 512 * 1024;
}
