using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReputationMonitor.Tests.Support;

/// <summary>Builds input records in the formats of the design (attempts, SES event publishing, SNS).</summary>
public static class SesJson
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public static string Attempt(string messageId, string account, DateTimeOffset at, params string[] to) =>
        AttemptFrom(messageId, account, at, to);

    public static string AttemptFrom(string messageId, string account, DateTimeOffset at, string[] to,
        string source = "News <news@mail.example.com>", string configurationSet = "marketing", string? tenant = null,
        string? pool = null, string? ip = null, string? callerIdentity = null, string? callerIp = null, bool oneClick = false) =>
        new JsonObject
        {
            ["messageId"] = messageId,
            ["attemptId"] = "att-" + messageId,
            ["timestamp"] = Iso(at),
            ["accountId"] = account,
            ["tenant"] = tenant,
            ["source"] = source,
            ["configurationSet"] = configurationSet,
            ["sendingPool"] = pool,
            ["sendingIp"] = ip,
            ["callerIdentity"] = callerIdentity,
            ["callerIp"] = callerIp,
            ["destinations"] = Array(to),
            ["outcome"] = "accepted",
            ["headers"] = oneClick
                ? new JsonObject { ["List-Unsubscribe"] = "<https://acme.example/u>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" }
                : null,
        }.ToJsonString();

    public static string RejectedAttempt(string attemptId, string account, DateTimeOffset at, string code, params string[] to) =>
        new JsonObject
        {
            ["attemptId"] = attemptId,
            ["timestamp"] = Iso(at),
            ["accountId"] = account,
            ["source"] = "billing@unverified.example",
            ["destinations"] = Array(to),
            ["outcome"] = "rejected",
            ["error"] = new JsonObject { ["code"] = code, ["message"] = "Email address is not verified." },
        }.ToJsonString();

    public static string Send(string messageId, string account, DateTimeOffset sentAt, params string[] to) =>
        Event("Send", messageId, account, sentAt, to, "send", new JsonObject());

    public static string Delivery(string messageId, string account, DateTimeOffset sentAt, DateTimeOffset at, string recipient, string[]? to = null,
        string smtpResponse = "250 2.0.0 OK queued") =>
        Event("Delivery", messageId, account, sentAt, to ?? [recipient], "delivery", new JsonObject
        {
            ["timestamp"] = Iso(at),
            ["recipients"] = Array([recipient]),
            ["smtpResponse"] = smtpResponse,
        });

    public static string Bounce(string messageId, string account, DateTimeOffset sentAt, DateTimeOffset at, string recipient,
        string type = "Permanent", string subType = "General", string diagnostic = "smtp; 550 5.1.1 user unknown", string[]? to = null) =>
        Event("Bounce", messageId, account, sentAt, to ?? [recipient], "bounce", new JsonObject
        {
            ["bounceType"] = type,
            ["bounceSubType"] = subType,
            ["timestamp"] = Iso(at),
            ["feedbackId"] = $"fb-{messageId}-{recipient}-{type}",
            ["bouncedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient, ["diagnosticCode"] = diagnostic }),
        });

    public static string Complaint(string messageId, string account, DateTimeOffset sentAt, DateTimeOffset at, string recipient, string[]? to = null) =>
        Event("Complaint", messageId, account, sentAt, to ?? [recipient], "complaint", new JsonObject
        {
            ["timestamp"] = Iso(at),
            ["feedbackId"] = $"fc-{messageId}-{recipient}",
            ["complaintFeedbackType"] = "abuse",
            ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
        });

    public static string Delay(string messageId, string account, DateTimeOffset sentAt, DateTimeOffset at, string recipient, string diagnostic, string[]? to = null) =>
        Event("DeliveryDelay", messageId, account, sentAt, to ?? [recipient], "deliveryDelay", new JsonObject
        {
            ["timestamp"] = Iso(at),
            ["delayType"] = "TransientCommunicationFailure",
            ["delayedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient, ["diagnosticCode"] = diagnostic }),
        });

    public static string RenderingFailure(string messageId, string account, DateTimeOffset sentAt, string template, string error, params string[] to) =>
        Event("Rendering Failure", messageId, account, sentAt, to, "failure", new JsonObject { ["templateName"] = template, ["errorMessage"] = error });

    public static string Reject(string messageId, string account, DateTimeOffset sentAt, string reason, params string[] to) =>
        Event("Reject", messageId, account, sentAt, to, "reject", new JsonObject { ["reason"] = reason });

    public static string SnsEnvelope(string inner) =>
        new JsonObject { ["Type"] = "Notification", ["MessageId"] = Guid.NewGuid().ToString(), ["Message"] = inner }.ToJsonString();

    private static string Event(string type, string messageId, string account, DateTimeOffset sentAt, string[] to, string section, JsonObject body) =>
        new JsonObject
        {
            ["eventType"] = type,
            ["mail"] = new JsonObject
            {
                ["timestamp"] = Iso(sentAt),
                ["source"] = "News <news@mail.example.com>",
                ["sendingAccountId"] = account,
                ["messageId"] = messageId,
                ["destination"] = Array(to),
                ["tags"] = new JsonObject { ["ses:configuration-set"] = new JsonArray("marketing") },
            },
            [section] = body,
        }.ToJsonString();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private static JsonArray Array(string[] items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray());

    public static JsonDocument Parse(byte[] value) => JsonDocument.Parse(value);
}
