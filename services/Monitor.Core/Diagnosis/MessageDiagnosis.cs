using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Diagnosis;

/// <summary>
/// Where a message was lost, following the three places mail gets lost: not accepted by the platform,
/// dropped inside it (rendering failure, suppression, reject), or after it (bounce, delay, complaint).
/// </summary>
public static class MessageDiagnosis
{
    public const string NotAccepted = "not_accepted", Dropped = "dropped", Bounced = "bounced", Delayed = "delayed",
        Complained = "complained", Delivered = "delivered", Unknown = "unknown";

    public static (string Status, string Reason) Diagnose(IReadOnlyList<NormalizedEvent> timeline)
    {
        var attempt = timeline.FirstOrDefault(e => e.Kind == EventKind.Attempt);
        if (attempt is { Accepted: false })
            return (NotAccepted, $"the platform refused the request: {attempt.ErrorCode} {attempt.Detail}".Trim());

        var drop = timeline.FirstOrDefault(e => e.Kind is EventKind.Reject or EventKind.RenderingFailure ||
            (e.Kind == EventKind.Bounce && e.BounceSubType is "OnAccountSuppressionList" or "Suppressed"));
        if (drop is not null)
            return (Dropped, drop.Kind switch
            {
                EventKind.Reject => $"SES rejected the message: {drop.Detail}",
                EventKind.RenderingFailure => $"the template failed to render: {drop.Detail}",
                _ => drop.BounceSubType == "Suppressed"
                    ? "the recipient is on the SES global suppression list"
                    : "the recipient is on the account-level suppression list",
            });

        if (timeline.LastOrDefault(e => e.Kind == EventKind.Complaint) is { } complaint)
            return (Complained, $"the recipient reported the message as {complaint.ComplaintFeedbackType ?? "spam"}");
        if (timeline.LastOrDefault(e => e.Kind == EventKind.Bounce) is { } bounce)
            return (Bounced, $"{bounce.BounceType}/{bounce.BounceSubType} bounce: {bounce.Recipients.FirstOrDefault()?.Diagnostic}");
        if (timeline.Any(e => e.Kind == EventKind.Delivery))
            return (Delivered, "the receiving server accepted the message; if it is missing, look at spam-folder placement");
        if (timeline.LastOrDefault(e => e.Kind == EventKind.DeliveryDelay) is { } delay)
            return (Delayed, $"delivery is delayed ({delay.DelayType}): {delay.Recipients.FirstOrDefault()?.Diagnostic}");
        return (Unknown, attempt is null && timeline.All(e => e.Kind != EventKind.Send)
            ? "no send attempt or Send event has been seen"
            : "the message was sent; no delivery feedback has arrived yet");
    }
}
