using System.Text;
using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// Reads a well-formed SES record in one forward pass of <see cref="Utf8JsonReader"/>: no document is built, the fields
/// the monitor does not keep (headers, common headers, ...) are skipped unread: building a JsonDocument for every
/// record would be one of the core engine's largest costs. It accepts only what
/// <see cref="SesEventParser"/>'s JsonDocument reader (the reference) accepts, and returns null for anything else —
/// a wrong type, a missing field, an unknown type — so that the reference reads it and names the field at fault.
/// A differential test holds the two to the same result.
/// </summary>
internal static class SesEventFastReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    public static NormalizedEvent? TryRead(ReadOnlySpan<byte> utf8) => TryRead(utf8, envelopeDepth: 0);

    private static NormalizedEvent? TryRead(ReadOnlySpan<byte> utf8, int envelopeDepth)
    {
        try
        {
            var r = new Utf8JsonReader(utf8, Options);
            return Read(ref r, envelopeDepth);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not well-formed (or a string that is not valid UTF-16): the reference reader reports it.
            return null;
        }
    }

    private static NormalizedEvent? Read(ref Utf8JsonReader r, int envelopeDepth)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        string? envelopeType = null, message = null, eventType = null, notificationType = null;
        // Mail and section are values on the stack (as objects they would be allocated per record); an event has one section,
        // so one is kept: a record with two different ones goes to the reference reader, which picks by the event type.
        Mail mail = new();
        Section section = new();
        bool hasMail = false, hasSection = false;
        var sectionIndex = -1;
        while (Utf8Fields.NextProperty(ref r))
        {
            var ok = true;
            if (r.ValueTextEquals("Type"u8)) ok = Utf8Fields.String(ref r, out envelopeType);
            else if (r.ValueTextEquals("Message"u8)) ok = Utf8Fields.String(ref r, out message);
            else if (r.ValueTextEquals("eventType"u8)) ok = Utf8Fields.String(ref r, out eventType);
            else if (r.ValueTextEquals("notificationType"u8)) ok = Utf8Fields.String(ref r, out notificationType);
            else if (r.ValueTextEquals("mail"u8)) ok = ReadMail(ref r, out mail, out hasMail);
            else if (SectionIndex(ref r) is var i and >= 0)
            {
                if (sectionIndex >= 0 && sectionIndex != i) return null;
                sectionIndex = i;
                ok = ReadSection(ref r, out section, out hasSection);
            }
            else Utf8Fields.SkipValue(ref r);
            if (!ok) return null;
        }
        if (!Utf8Fields.AtEnd(ref r)) return null;

        if (envelopeType is not null)
            return envelopeType == "Notification" && envelopeDepth == 0 && message is not null
                ? TryRead(Encoding.UTF8.GetBytes(message), envelopeDepth + 1)
                : null;
        if ((eventType ?? notificationType) is not { } typeName || SesEventParser.KindOf(typeName) is not { } kind) return null;
        if (!hasMail || mail is not { MessageId: { } id, Account: { } account, Timestamp: { } mailTs }
            || string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(account)) return null;

        var e = SesEventParser.NewEvent(kind, id, account, mailTs, mail.Source, mail.Tags, mail.Destinations);
        var has = hasSection ? sectionIndex : -1;
        string? feedbackId = null;
        switch (kind)
        {
            case EventKind.Bounce:
                if (has != Bounce || section is not { BounceType: { } bounceType, BouncedRecipients: { } bounced } b
                    || string.IsNullOrWhiteSpace(bounceType)) return null;
                e.BounceType = bounceType;
                e.BounceSubType = b.BounceSubType;
                e.ReportingMta = b.ReportingMta;
                e.TimestampMs = b.Timestamp ?? mailTs;
                feedbackId = b.FeedbackId;
                e.Recipients = bounced;
                break;
            case EventKind.Complaint:
                if (has != Complaint || section is not { ComplainedRecipients: { } complained } c) return null;
                e.ComplaintFeedbackType = c.ComplaintFeedbackType;
                e.TimestampMs = c.Timestamp ?? mailTs;
                feedbackId = c.FeedbackId;
                e.Recipients = complained;
                break;
            case EventKind.Delivery:
                if (has != Delivery) return null;
                e.TimestampMs = section.Timestamp ?? mailTs;
                e.Detail = section.SmtpResponse;
                e.ReportingMta = section.ReportingMta;
                e.Recipients = SesEventParser.Delivered(section.Recipients, section.SmtpResponse);
                break;
            case EventKind.DeliveryDelay:
                if (has != DeliveryDelay || section is not { DelayedRecipients: { } delayed } dd) return null;
                e.TimestampMs = dd.Timestamp ?? mailTs;
                e.DelayType = dd.DelayType;
                e.ReportingMta = dd.ReportingMta;
                e.Recipients = delayed;
                break;
            case EventKind.Reject:
                if (has != Reject) return null;
                e.Detail = section.Reason;
                break;
            case EventKind.RenderingFailure:
                if (has != Failure) return null;
                e.Detail = SesEventParser.RenderingDetail(section.TemplateName, section.ErrorMessage);
                break;
            case EventKind.Open or EventKind.Click or EventKind.Subscription:
                var engagement = kind switch { EventKind.Open => Open, EventKind.Click => Click, _ => Subscription };
                if (has == engagement) e.TimestampMs = section.Timestamp ?? mailTs;
                break;
        }
        e.EventKey = EventKeys.For(e, feedbackId);
        return e;
    }

    private struct Mail
    {
        public string? MessageId, Account, Source;
        public long? Timestamp;
        public MailTags Tags;
        public string[] Destinations = [];

        public Mail() { }
    }

    private static bool ReadMail(ref Utf8JsonReader r, out Mail m, out bool present)
    {
        m = new Mail();
        if (!Utf8Fields.Object(ref r, out present)) return false;
        if (!present) return true;
        while (Utf8Fields.NextProperty(ref r))
        {
            var ok = true;
            if (r.ValueTextEquals("messageId"u8)) ok = Utf8Fields.String(ref r, out m.MessageId);
            else if (r.ValueTextEquals("sendingAccountId"u8)) ok = Utf8Fields.SharedString(ref r, out m.Account);
            else if (r.ValueTextEquals("timestamp"u8)) ok = Utf8Fields.Timestamp(ref r, out m.Timestamp);
            else if (r.ValueTextEquals("source"u8)) ok = Utf8Fields.SharedString(ref r, out m.Source);
            else if (r.ValueTextEquals("destination"u8)) ok = Utf8Fields.StringArray(ref r, out m.Destinations);
            else if (r.ValueTextEquals("tags"u8)) ok = ReadTags(ref r, out m.Tags);
            else Utf8Fields.SkipValue(ref r);
            if (!ok) return false;
        }
        return true;
    }

    private static readonly byte[] FromDomainTag = Encoding.UTF8.GetBytes(MailTags.FromDomainTag),
        ConfigurationSetTag = Encoding.UTF8.GetBytes(MailTags.ConfigurationSetTag), OutgoingIpTag = Encoding.UTF8.GetBytes(MailTags.OutgoingIpTag),
        CallerIdentityTag = Encoding.UTF8.GetBytes(MailTags.CallerIdentityTag), SourceIpTag = Encoding.UTF8.GetBytes(MailTags.SourceIpTag);

    private static bool ReadTags(ref Utf8JsonReader r, out MailTags tags)
    {
        tags = default;
        if (!Utf8Fields.Object(ref r, out var present)) return false;
        if (!present) return true;
        string? fromDomain = null, configurationSet = null, outgoingIp = null, callerIdentity = null, sourceIp = null;
        while (Utf8Fields.NextProperty(ref r))
        {
            if (r.ValueTextEquals(FromDomainTag)) fromDomain = Utf8Fields.Tag(ref r);
            else if (r.ValueTextEquals(ConfigurationSetTag)) configurationSet = Utf8Fields.Tag(ref r);
            else if (r.ValueTextEquals(OutgoingIpTag)) outgoingIp = Utf8Fields.Tag(ref r);
            else if (r.ValueTextEquals(CallerIdentityTag)) callerIdentity = Utf8Fields.Tag(ref r);
            else if (r.ValueTextEquals(SourceIpTag)) sourceIp = Utf8Fields.Tag(ref r);
            else Utf8Fields.SkipValue(ref r);
        }
        tags = new MailTags(fromDomain, configurationSet, outgoingIp, callerIdentity, sourceIp);
        return true;
    }

    private const int Bounce = 0, Complaint = 1, Delivery = 2, DeliveryDelay = 3, Reject = 4, Failure = 5, Open = 6, Click = 7, Subscription = 8;

    private static readonly byte[][] SectionNames =
        ["bounce"u8.ToArray(), "complaint"u8.ToArray(), "delivery"u8.ToArray(), "deliveryDelay"u8.ToArray(), "reject"u8.ToArray(),
         "failure"u8.ToArray(), "open"u8.ToArray(), "click"u8.ToArray(), "subscription"u8.ToArray()];

    private static int SectionIndex(ref Utf8JsonReader r)
    {
        for (var i = 0; i < SectionNames.Length; i++)
            if (r.ValueTextEquals(SectionNames[i])) return i;
        return -1;
    }

    /// <summary>The fields of every event section, read by name whichever section they are in; each kind uses its own.</summary>
    private struct Section
    {
        public long? Timestamp;
        public string? FeedbackId, BounceType, BounceSubType, ReportingMta, ComplaintFeedbackType, SmtpResponse, DelayType, Reason,
            TemplateName, ErrorMessage;
        public RecipientDetail[]? BouncedRecipients, ComplainedRecipients, DelayedRecipients;
        public string[] Recipients = [];

        public Section() { }
    }

    private static bool ReadSection(ref Utf8JsonReader r, out Section s, out bool present)
    {
        s = new Section();
        if (!Utf8Fields.Object(ref r, out present)) return false;
        if (!present) return true;
        while (Utf8Fields.NextProperty(ref r))
        {
            var ok = true;
            if (r.ValueTextEquals("timestamp"u8)) ok = Utf8Fields.Timestamp(ref r, out s.Timestamp);
            else if (r.ValueTextEquals("feedbackId"u8)) ok = Utf8Fields.String(ref r, out s.FeedbackId);
            else if (r.ValueTextEquals("bounceType"u8)) ok = Utf8Fields.SharedString(ref r, out s.BounceType);
            else if (r.ValueTextEquals("bounceSubType"u8)) ok = Utf8Fields.SharedString(ref r, out s.BounceSubType);
            else if (r.ValueTextEquals("reportingMTA"u8)) ok = Utf8Fields.SharedString(ref r, out s.ReportingMta);
            else if (r.ValueTextEquals("complaintFeedbackType"u8)) ok = Utf8Fields.SharedString(ref r, out s.ComplaintFeedbackType);
            else if (r.ValueTextEquals("smtpResponse"u8)) ok = Utf8Fields.String(ref r, out s.SmtpResponse);
            else if (r.ValueTextEquals("delayType"u8)) ok = Utf8Fields.SharedString(ref r, out s.DelayType);
            else if (r.ValueTextEquals("reason"u8)) ok = Utf8Fields.String(ref r, out s.Reason);
            else if (r.ValueTextEquals("templateName"u8)) ok = Utf8Fields.String(ref r, out s.TemplateName);
            else if (r.ValueTextEquals("errorMessage"u8)) ok = Utf8Fields.String(ref r, out s.ErrorMessage);
            else if (r.ValueTextEquals("recipients"u8)) ok = Utf8Fields.StringArray(ref r, out s.Recipients);
            else if (r.ValueTextEquals("bouncedRecipients"u8)) ok = ReadRecipients(ref r, out s.BouncedRecipients);
            else if (r.ValueTextEquals("complainedRecipients"u8)) ok = ReadRecipients(ref r, out s.ComplainedRecipients);
            else if (r.ValueTextEquals("delayedRecipients"u8)) ok = ReadRecipients(ref r, out s.DelayedRecipients);
            else Utf8Fields.SkipValue(ref r);
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>An array of recipient objects; null (absent) when the value is null.</summary>
    private static bool ReadRecipients(ref Utf8JsonReader r, out RecipientDetail[]? recipients)
    {
        recipients = null;
        if (!r.Read()) return false;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartArray) return false;
        var list = new List<RecipientDetail>(1);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) return false;
            string? email = null, status = null, diagnostic = null;
            while (Utf8Fields.NextProperty(ref r))
            {
                var ok = true;
                if (r.ValueTextEquals("emailAddress"u8)) ok = Utf8Fields.String(ref r, out email);
                else if (r.ValueTextEquals("status"u8)) ok = Utf8Fields.SharedString(ref r, out status);
                else if (r.ValueTextEquals("diagnosticCode"u8)) ok = Utf8Fields.String(ref r, out diagnostic);
                else Utf8Fields.SkipValue(ref r);
                if (!ok) return false;
            }
            if (string.IsNullOrWhiteSpace(email)) return false;
            list.Add(new RecipientDetail { Email = email, Status = status, Diagnostic = diagnostic });
        }
        recipients = [.. list];
        return true;
    }
}
