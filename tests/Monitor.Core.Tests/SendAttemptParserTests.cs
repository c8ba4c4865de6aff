using System.Text;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Core.Tests;

public sealed class SendAttemptParserTests
{
    private readonly SendAttemptParser _parser = new();

    [Fact]
    public void Accepted_attempt_with_all_dimensions()
    {
        var r = _parser.Parse(Samples.Read("send-attempt-accepted.json"));
        Assert.True(r.IsSuccess, r.Reason);
        var e = r.Event!;
        Assert.Equal(EventKind.Attempt, e.Kind);
        Assert.True(e.Accepted);
        Assert.Equal("210987654321", e.AccountId);
        Assert.Equal("acme", e.Tenant);
        Assert.Equal("shared-1", e.SendingPool);
        Assert.Equal("192.0.2.44", e.SendingIp);
        Assert.Equal("mail.acme.example", e.FromDomain);
        Assert.True(e.HasOneClickUnsubscribe);
        Assert.Equal("Attempt:att-000173", e.EventKey);
    }

    [Fact]
    public void Rejected_attempt_has_no_message_id_and_keeps_the_error()
    {
        var r = _parser.Parse(Samples.Read("send-attempt-rejected.json"));
        Assert.True(r.IsSuccess, r.Reason);
        Assert.False(r.Event!.Accepted);
        Assert.Null(r.Event.MessageId);
        Assert.Equal("MessageRejected", r.Event.ErrorCode);
        Assert.Contains("not verified", r.Event.Detail);
    }

    [Theory]
    [InlineData("{\"outcome\":\"accepted\",\"accountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"}", DlqReasons.MissingMessageId)]
    [InlineData("{\"messageId\":\"m\",\"outcome\":\"maybe\",\"accountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"}", DlqReasons.InvalidValue)]
    [InlineData("{\"messageId\":\"m\",\"outcome\":\"accepted\",\"timestamp\":\"2026-11-20T09:00:00Z\"}", DlqReasons.MissingField)]
    [InlineData("{\"messageId\":\"m\",\"outcome\":\"accepted\",\"accountId\":\"1\"}", DlqReasons.MissingField)]
    [InlineData("{\"messageId\":\"m\",\"outcome\":\"accepted\",\"accountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\",\"destinations\":[1]}", DlqReasons.WrongFieldType)]
    [InlineData("{\"messageId\":5,\"outcome\":\"accepted\",\"accountId\":\"1\",\"timestamp\":\"2026-11-20T09:00:00Z\"}", DlqReasons.WrongFieldType)]
    [InlineData("not json", DlqReasons.InvalidJson)]
    public void Malformed_attempts_are_rejected_with_a_reason(string json, string reason)
    {
        var r = _parser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(reason, r.ErrorCode);
    }
}
