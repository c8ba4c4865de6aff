using System.Text;
using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// The send-attempt record in one forward pass of <see cref="Utf8JsonReader"/>, as <see cref="SesEventFastReader"/> does
/// for SES events: it returns null for anything <see cref="SendAttemptParser"/>'s reference reader would reject (or that
/// it is not sure of), and the reference reads it and names the fault.
/// </summary>
internal static class SendAttemptFastReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };
    private static readonly byte[] ListUnsubscribe = Encoding.UTF8.GetBytes(AttemptFields.ListUnsubscribe),
        ListUnsubscribePost = Encoding.UTF8.GetBytes(AttemptFields.ListUnsubscribePost);

    public static NormalizedEvent? TryRead(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var r = new Utf8JsonReader(utf8, Options);
            return Read(ref r);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not well-formed (or a string that is not valid UTF-16): the reference reader reports it.
            return null;
        }
    }

    private static NormalizedEvent? Read(ref Utf8JsonReader r)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        var f = new AttemptFields();
        while (Utf8Fields.NextProperty(ref r))
        {
            var ok = true;
            if (r.ValueTextEquals("outcome"u8)) ok = Utf8Fields.SharedString(ref r, out f.Outcome);
            else if (r.ValueTextEquals("messageId"u8)) ok = Utf8Fields.String(ref r, out f.MessageId);
            else if (r.ValueTextEquals("timestamp"u8)) ok = Utf8Fields.Timestamp(ref r, out f.Timestamp);
            else if (r.ValueTextEquals("accountId"u8)) ok = Utf8Fields.SharedString(ref r, out f.AccountId);
            else if (r.ValueTextEquals("attemptId"u8)) ok = Utf8Fields.String(ref r, out f.AttemptId);
            else if (r.ValueTextEquals("source"u8)) ok = Utf8Fields.SharedString(ref r, out f.Source);
            else if (r.ValueTextEquals("tenant"u8)) ok = Utf8Fields.SharedString(ref r, out f.Tenant);
            else if (r.ValueTextEquals("configurationSet"u8)) ok = Utf8Fields.SharedString(ref r, out f.ConfigurationSet);
            else if (r.ValueTextEquals("sendingPool"u8)) ok = Utf8Fields.SharedString(ref r, out f.SendingPool);
            else if (r.ValueTextEquals("sendingIp"u8)) ok = Utf8Fields.SharedString(ref r, out f.SendingIp);
            else if (r.ValueTextEquals("callerIdentity"u8)) ok = Utf8Fields.SharedString(ref r, out f.CallerIdentity);
            else if (r.ValueTextEquals("callerIp"u8)) ok = Utf8Fields.SharedString(ref r, out f.CallerIp);
            else if (r.ValueTextEquals("destinations"u8)) ok = Utf8Fields.StringArray(ref r, out f.Destinations);
            else if (r.ValueTextEquals("error"u8)) ok = ReadError(ref r, ref f);
            else if (r.ValueTextEquals("headers"u8)) ok = ReadHeaders(ref r, ref f);
            else Utf8Fields.SkipValue(ref r);
            if (!ok) return null;
        }
        if (!Utf8Fields.AtEnd(ref r)) return null;
        if (string.IsNullOrWhiteSpace(f.Outcome) || f.Accepted is not { } accepted) return null;
        if (accepted && string.IsNullOrWhiteSpace(f.MessageId)) return null;
        if (f.Timestamp is null || string.IsNullOrWhiteSpace(f.AccountId)) return null;
        return f.ToEvent();
    }

    private static bool ReadError(ref Utf8JsonReader r, ref AttemptFields f)
    {
        // A repeated "error" replaces the first, as in the reference (the last property of a name wins).
        f.ErrorCode = f.ErrorMessage = null;
        if (!Utf8Fields.Object(ref r, out var present)) return false;
        if (!present) return true;
        while (Utf8Fields.NextProperty(ref r))
        {
            var ok = true;
            if (r.ValueTextEquals("code"u8)) ok = Utf8Fields.SharedString(ref r, out f.ErrorCode);
            else if (r.ValueTextEquals("message"u8)) ok = Utf8Fields.String(ref r, out f.ErrorMessage);
            else Utf8Fields.SkipValue(ref r);
            if (!ok) return false;
        }
        return true;
    }

    private static bool ReadHeaders(ref Utf8JsonReader r, ref AttemptFields f)
    {
        f.HasOneClickUnsubscribe = false;
        if (!Utf8Fields.Object(ref r, out var present)) return false;
        if (!present) return true;
        bool unsubscribe = false, post = false;
        while (Utf8Fields.NextProperty(ref r))
        {
            if (r.ValueTextEquals(ListUnsubscribe)) unsubscribe = true;
            else if (r.ValueTextEquals(ListUnsubscribePost)) post = true;
            Utf8Fields.SkipValue(ref r);
        }
        f.HasOneClickUnsubscribe = unsubscribe && post;
        return true;
    }
}
