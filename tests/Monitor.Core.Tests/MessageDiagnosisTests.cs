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
}
