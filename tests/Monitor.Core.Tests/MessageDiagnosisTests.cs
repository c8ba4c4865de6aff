using ReputationMonitor.Core.Diagnosis;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class MessageDiagnosisTests
{
    private static NormalizedEvent E(EventKind kind, Action<NormalizedEvent>? set = null)
    {
        var e = new NormalizedEvent { Kind = kind, AccountId = "a", EventKey = kind.ToString(), MessageId = "m", Accepted = true };
        set?.Invoke(e);
        return e;
    }

    [Fact]
    public void Each_place_mail_gets_lost()
    {
        Assert.Equal(MessageDiagnosis.NotAccepted, MessageDiagnosis.Diagnose([E(EventKind.Attempt, e => { e.Accepted = false; e.ErrorCode = "MessageRejected"; })]).Status);
        Assert.Equal(MessageDiagnosis.Dropped, MessageDiagnosis.Diagnose([E(EventKind.Attempt), E(EventKind.RenderingFailure, e => e.Detail = "Attribute 'x' missing")]).Status);
        Assert.Equal(MessageDiagnosis.Dropped, MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Bounce, e => { e.BounceType = "Permanent"; e.BounceSubType = "OnAccountSuppressionList"; })]).Status);
        Assert.Equal(MessageDiagnosis.Bounced, MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Bounce, e => { e.BounceType = "Permanent"; e.BounceSubType = "General"; })]).Status);
        Assert.Equal(MessageDiagnosis.Complained, MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Delivery), E(EventKind.Complaint)]).Status);
        Assert.Equal(MessageDiagnosis.Delivered, MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.DeliveryDelay), E(EventKind.Delivery)]).Status);
        Assert.Equal(MessageDiagnosis.Delayed, MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.DeliveryDelay)]).Status);
        Assert.Equal(MessageDiagnosis.Unknown, MessageDiagnosis.Diagnose([E(EventKind.Attempt)]).Status);
    }

    [Fact]
    public void A_rendering_failure_names_the_missing_attribute_and_the_template()
    {
        var d = MessageDiagnosis.Diagnose([E(EventKind.Attempt), E(EventKind.RenderingFailure,
            e => e.Detail = "template 'welcome': Attribute 'firstName' is not present in the rendering data.")]);
        Assert.Equal((MessageDiagnosis.Dropped, MessageDiagnosis.PlatformStage), (d.Status, d.Stage));
        Assert.Equal("firstName", d.Facts["missingAttribute"]);
        Assert.Equal("welcome", d.Facts["template"]);
        Assert.Contains("'firstName' is missing", d.Reason);
    }

    [Theory]
    [InlineData("OnAccountSuppressionList", "account")]
    [InlineData("Suppressed", "global")]
    public void A_suppression_drop_names_the_list(string subType, string list)
    {
        var d = MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Bounce, e => { e.BounceType = "Permanent"; e.BounceSubType = subType; })]);
        Assert.Equal(MessageDiagnosis.Dropped, d.Status);
        Assert.Equal(list, d.Facts["suppressionList"]);
    }

    [Fact]
    public void A_virus_reject_says_so()
    {
        var d = MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Reject, e => e.Detail = "Bad content")]);
        Assert.Equal(("true", MessageDiagnosis.Dropped), (d.Facts["virus"], d.Status));
    }

    [Fact]
    public void A_bounce_carries_its_diagnostic_code_and_class()
    {
        var d = MessageDiagnosis.Diagnose([E(EventKind.Send), E(EventKind.Bounce, e =>
        {
            e.BounceType = "Permanent"; e.BounceSubType = "General";
            e.Recipients = [new RecipientDetail { Email = "x@gmail.com", Diagnostic = "smtp; 550-5.1.1 The email account that you tried to reach does not exist." }];
        })]);
        Assert.Equal((MessageDiagnosis.Bounced, MessageDiagnosis.RecipientStage), (d.Status, d.Stage));
        Assert.StartsWith("smtp; 550-5.1.1", d.Facts["diagnosticCode"]);
        Assert.Equal(Classification.SmtpClasses.InvalidRecipient, d.Facts["class"]);
    }

    [Fact]
    public void A_refused_request_is_lost_at_the_request()
    {
        var d = MessageDiagnosis.Diagnose([E(EventKind.Attempt, e => { e.Accepted = false; e.ErrorCode = "MessageRejected"; e.Detail = "Email address is not verified."; })]);
        Assert.Equal((MessageDiagnosis.NotAccepted, MessageDiagnosis.RequestStage, "MessageRejected"), (d.Status, d.Stage, d.Facts["errorCode"]));
    }
}
