namespace ReputationMonitor.Core.Model;

/// <summary>Every record the monitor understands, after normalisation.</summary>
public enum EventKind
{
    Attempt,
    Send,
    Reject,
    Bounce,
    Complaint,
    Delivery,
    RenderingFailure,
    DeliveryDelay,
    Subscription,
    Open,
    Click,
}
