using System.Text;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Core.Tests;

public sealed class SesEventParserTests
{
    private readonly SesEventParser _parser = new();
    private const string MessageId = "0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-1b2c3d4e5f60-000000";

    private NormalizedEvent Ok(string sample)
    {
        var r = _parser.Parse(Samples.Read(sample));
        Assert.True(r.IsSuccess, r.Reason);
        var e = r.Event!;
        Assert.Equal(MessageId, e.MessageId);
        Assert.Equal("210987654321", e.AccountId);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:15:02.481Z").ToUnixTimeMilliseconds(), e.MailTimestampMs);
        Assert.Equal(["ana@gmail.com", "raj@outlook.com"], e.Destinations);
        Assert.Equal("marketing", e.ConfigurationSet);
        Assert.Equal("mail.acme.example", e.FromDomain);
        Assert.Equal("192.0.2.44", e.SendingIp);
        Assert.Equal("198.51.100.23", e.CallerIp);
        Assert.Equal("acme-smtp", e.CallerIdentity);
        return e;
    }

    [Fact]
    public void Send() => Assert.Equal(EventKind.Send, Ok("send.json").Kind);

    [Fact]
    public void Each_source_gets_its_own_lower_case_domain_however_the_senders_interleave()
    {
        // Sources are shared instances and their domains remembered per instance: interleaved senders, one of them in
        // capitals and one with a display name, must each keep their own domain on every record.
        string[] sources = ["news@a.example", "Ops <Alerts@B.Example.COM>", "x@c.example", "no-domain", "news@a.example"];
        string?[] expected = ["a.example", "b.example.com", "c.example", null, "a.example"];
        for (var round = 0; round < 3; round++)
            for (var i = 0; i < sources.Length; i++)
            {
                var source = System.Text.Json.JsonSerializer.Serialize(sources[i]);
                var json = $$$"""{"eventType":"Send","mail":{"timestamp":"2026-11-20T09:00:00Z","source":{{{source}}},"sendingAccountId":"1","messageId":"m{{{round}}}-{{{i}}}"},"send":{}}""";
                Assert.Equal(expected[i], _parser.Parse(Encoding.UTF8.GetBytes(json)).Event!.FromDomain);
            }
    }

    [Fact]
    public void Permanent_bounce_with_recipient_diagnostics()
    {
        var e = Ok("bounce-permanent.json");
        Assert.Equal(EventKind.Bounce, e.Kind);
        Assert.Equal("Permanent", e.BounceType);
        Assert.Equal("General", e.BounceSubType);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:15:03.900Z").ToUnixTimeMilliseconds(), e.TimestampMs);
        var r = Assert.Single(e.Recipients);
        Assert.Equal("raj@outlook.com", r.Email);
        Assert.Equal("5.5.0", r.Status);
        Assert.Contains("mailbox unavailable", r.Diagnostic);
        Assert.Equal("Bounce:0100019a3f1c2e11-aa11bb22-cc33-dd44-ee55-ff6677889900-000000", e.EventKey);
    }

    [Fact]
    public void Transient_bounce() => Assert.Equal("Transient", Ok("bounce-transient.json").BounceType);

    [Fact]
    public void Account_suppression_list_bounce() => Assert.Equal("OnAccountSuppressionList", Ok("bounce-account-suppressed.json").BounceSubType);

    [Fact]
    public void Complaint()
    {
        var e = Ok("complaint.json");
        Assert.Equal(EventKind.Complaint, e.Kind);
        Assert.Equal("abuse", e.ComplaintFeedbackType);
        Assert.Equal("ana@gmail.com", Assert.Single(e.Recipients).Email);
    }

    [Fact]
    public void Delivery()
    {
        var e = Ok("delivery.json");
        Assert.Equal(EventKind.Delivery, e.Kind);
        Assert.StartsWith("250 2.0.0 OK", e.Detail);
        Assert.Equal("ana@gmail.com", Assert.Single(e.Recipients).Email);
    }

    [Fact]
    public void Delivery_delay()
    {
        var e = Ok("delivery-delay.json");
        Assert.Equal(EventKind.DeliveryDelay, e.Kind);
        Assert.Equal("IPFailure", e.DelayType);
        Assert.Contains("4.7.28", Assert.Single(e.Recipients).Diagnostic);
    }

    [Fact]
    public void Reject() => Assert.Equal("Bad content", Ok("reject.json").Detail);

    [Fact]
    public void Rendering_failure_names_the_template_and_the_missing_attribute()
    {
        var e = Ok("rendering-failure.json");
        Assert.Equal(EventKind.RenderingFailure, e.Kind);
        Assert.Contains("OrderShipped", e.Detail);
        Assert.Contains("trackingUrl", e.Detail);
    }

    [Fact]
    public void Open() => Assert.Equal(EventKind.Open, Ok("open.json").Kind);

    [Theory]
    [InlineData("Click", "click", EventKind.Click)]
    [InlineData("Subscription", "subscription", EventKind.Subscription)]
    public void Engagement_and_subscription_events(string type, string section, EventKind kind)
    {
        var json = Encoding.UTF8.GetString(Samples.Read("open.json")).Replace("\"Open\"", $"\"{type}\"").Replace("\"open\":", $"\"{section}\":");
        var r = _parser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(r.IsSuccess, r.Reason);
        Assert.Equal(kind, r.Event!.Kind);
    }

    [Fact]
    public void Sns_notification_uses_notificationType()
    {
        var e = Ok("sns-notification-bounce.json");
        Assert.Equal(EventKind.Bounce, e.Kind);
        Assert.Equal("Permanent", e.BounceType);
    }

    [Fact]
    public void Sns_envelope_unwraps_the_message_string()
    {
        var e = Ok("sns-envelope-complaint.json");
        Assert.Equal(EventKind.Complaint, e.Kind);
        Assert.Equal("ana@gmail.com", Assert.Single(e.Recipients).Email);
    }

    [Fact]
    public void The_same_record_twice_has_the_same_event_key()
    {
        var a = _parser.Parse(Samples.Read("delivery.json")).Event!;
        var b = _parser.Parse(Samples.Read("delivery.json")).Event!;
        Assert.Equal(a.EventKey, b.EventKey);
        Assert.NotEqual(a.EventKey, _parser.Parse(Samples.Read("open.json")).Event!.EventKey);
    }

    [Fact]
    public void Extra_and_missing_optional_fields_are_fine()
    {
        var json = """{"eventType":"Delivery","extra":{"x":[1,2]},"mail":{"messageId":"m","sendingAccountId":"1","timestamp":"2026-11-20T09:00:00Z"},"delivery":{"recipients":["a@b.c"]}}""";
        var r = _parser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(r.IsSuccess, r.Reason);
        Assert.Empty(r.Event!.Destinations);
        Assert.Null(r.Event.ConfigurationSet);
    }

    [Theory]
    [InlineData("", DlqReasons.Empty)]
    [InlineData("{\"eventType\": \"Bounce\", \"mail\": ", DlqReasons.InvalidJson)]
    [InlineData("[1,2,3]", DlqReasons.WrongFieldType)]
    [InlineData("\"just a string\"", DlqReasons.WrongFieldType)]
    [InlineData("{\"foo\":1}", DlqReasons.UnknownEventType)]
    [InlineData("{\"eventType\":\"Teleport\",\"mail\":{}}", DlqReasons.UnknownEventType)]
    [InlineData("{\"eventType\":42}", DlqReasons.WrongFieldType)]
    [InlineData("{\"eventType\":\"Delivery\"}", DlqReasons.MissingField)]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"sendingAccountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"},\"delivery\":{}}", DlqReasons.MissingMessageId)]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"m\",\"timestamp\":\"2026-11-20T09:00:00Z\"},\"delivery\":{}}", DlqReasons.MissingField)]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":\"yesterday\"},\"delivery\":{}}", DlqReasons.InvalidValue)]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":1700000000},\"delivery\":{}}", DlqReasons.WrongFieldType)]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\",\"destination\":\"a@b.c\"},\"delivery\":{}}", DlqReasons.WrongFieldType)]
    [InlineData("{\"eventType\":\"Bounce\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"}}", DlqReasons.MissingField)]
    [InlineData("{\"eventType\":\"Bounce\",\"mail\":{\"messageId\":\"m\",\"sendingAccountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"},\"bounce\":{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":7}]}}", DlqReasons.WrongFieldType)]
    [InlineData("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"confirm\"}", DlqReasons.UnknownEventType)]
    [InlineData("{\"Type\":\"Notification\",\"Message\":\"{not json\"}", DlqReasons.InvalidJson)]
    [InlineData("{\"Type\":\"Notification\",\"Message\":{\"eventType\":\"Send\"}}", DlqReasons.WrongFieldType)]
    [InlineData("{\"eventType\":\"\\uD800\"}", DlqReasons.InvalidJson)]
    public void Malformed_records_are_rejected_with_a_reason_not_an_exception(string json, string reason)
    {
        var r = _parser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.False(r.IsSuccess);
        Assert.Equal(reason, r.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(r.ErrorDetail));
    }

    [Fact]
    public void Invalid_utf8_deep_nesting_and_oversize_records_are_rejected()
    {
        Assert.Equal(DlqReasons.InvalidUtf8, _parser.Parse([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]).ErrorCode);
        var deep = new string('[', 200) + new string(']', 200);
        Assert.Equal(DlqReasons.InvalidJson, _parser.Parse(Encoding.UTF8.GetBytes(deep)).ErrorCode);
        var small = new SesEventParser(maxRecordBytes: 1024);
        var r = small.Parse(new byte[2048]);
        Assert.Equal(DlqReasons.Oversize, r.ErrorCode);
        Assert.Contains("2048", r.ErrorDetail);
    }
}
