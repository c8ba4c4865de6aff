using System.Text.RegularExpressions;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Diagnosis;

/// <summary>
/// A diagnosis: where the message was lost (<c>Stage</c>: the request, inside the platform, at the recipient's
/// side), why in one sentence, and the facts behind it (error code, missing template attribute, which suppression
/// list, bounce class and diagnostic code, ...), so that an operator need not read raw events.
/// </summary>
public sealed record Diagnosis(string Status, string Stage, string Reason, IReadOnlyDictionary<string, string> Facts);

/// <summary>
/// Where a message was lost, following the three places mail gets lost: not accepted by the platform,
/// dropped inside it (rendering failure, suppression, reject), or after it (bounce, delay, complaint).
/// </summary>
public static partial class MessageDiagnosis
{
    public const string NotAccepted = "not_accepted", Dropped = "dropped", Bounced = "bounced", Delayed = "delayed",
        Complained = "complained", Delivered = "delivered", Unknown = "unknown";

    public const string RequestStage = "request", PlatformStage = "platform", RecipientStage = "recipient", NoStage = "none";

    public static Diagnosis Diagnose(IReadOnlyList<NormalizedEvent> timeline)
    {
        var attempt = timeline.FirstOrDefault(e => e.Kind == EventKind.Attempt);
        if (attempt is { Accepted: false })
            return new(NotAccepted, RequestStage, $"the platform refused the request: {attempt.ErrorCode} {attempt.Detail}".Trim(),
                Facts(("errorCode", attempt.ErrorCode), ("errorMessage", attempt.Detail)));

        var drop = timeline.FirstOrDefault(e => e.Kind is EventKind.Reject or EventKind.RenderingFailure ||
            (e.Kind == EventKind.Bounce && e.BounceSubType is "OnAccountSuppressionList" or "Suppressed"));
        if (drop is not null) return Dropped_(drop);

        if (timeline.LastOrDefault(e => e.Kind == EventKind.Complaint) is { } complaint)
            return new(Complained, RecipientStage, $"the recipient reported the message as {complaint.ComplaintFeedbackType ?? "spam"}",
                Facts(("feedbackType", complaint.ComplaintFeedbackType), ("recipient", complaint.Recipients.FirstOrDefault()?.Email)));
        if (timeline.LastOrDefault(e => e.Kind == EventKind.Bounce) is { } bounce)
        {
            var diagnostic = bounce.Recipients.FirstOrDefault(r => r.Diagnostic is not null)?.Diagnostic;
            var c = diagnostic is null ? null : SmtpResponseClassifier.Default.Classify(diagnostic);
            return new(Bounced, RecipientStage,
                $"{bounce.BounceType}/{bounce.BounceSubType} bounce{(c is null ? "" : $" ({c.Class}: {c.Explanation})")}: {diagnostic ?? "no diagnostic code"}",
                Facts(("bounceType", bounce.BounceType), ("bounceSubType", bounce.BounceSubType), ("diagnosticCode", diagnostic),
                    ("class", c?.Class), ("explanation", c?.Explanation), ("recipient", bounce.Recipients.FirstOrDefault()?.Email)));
        }
        if (timeline.LastOrDefault(e => e.Kind == EventKind.Delivery) is { } delivery)
            return new(Delivered, RecipientStage,
                "the receiving server accepted the message; if the recipient cannot find it, look at spam-folder placement",
                Facts(("smtpResponse", delivery.Detail)));
        if (timeline.LastOrDefault(e => e.Kind == EventKind.DeliveryDelay) is { } delay)
        {
            var diagnostic = delay.Recipients.FirstOrDefault()?.Diagnostic;
            return new(Delayed, RecipientStage, $"delivery is delayed ({delay.DelayType}): {diagnostic}",
                Facts(("delayType", delay.DelayType), ("diagnosticCode", diagnostic)));
        }
        return new(Unknown, NoStage, attempt is null && timeline.All(e => e.Kind != EventKind.Send)
            ? "no send attempt or Send event has been seen"
            : "the message was sent; no delivery feedback has arrived yet", Facts());
    }

    private static Diagnosis Dropped_(NormalizedEvent drop)
    {
        switch (drop.Kind)
        {
            case EventKind.Reject:
                // SES accepts the request, then rejects a message in which it finds a virus ("Bad content").
                var virus = string.Equals(drop.Detail, "Bad content", StringComparison.OrdinalIgnoreCase);
                return new(Dropped, PlatformStage,
                    virus ? "SES found a virus in the message and did not send it" : $"SES rejected the message: {drop.Detail}",
                    Facts(("rejectReason", drop.Detail), ("virus", virus ? "true" : null)));
            case EventKind.RenderingFailure:
                var attribute = drop.Detail is null ? null : MissingAttribute().Match(drop.Detail) is { Success: true } m ? m.Groups[1].Value : null;
                var template = drop.Detail is null ? null : TemplateName().Match(drop.Detail) is { Success: true } t ? t.Groups[1].Value : null;
                return new(Dropped, PlatformStage,
                    attribute is null
                        ? $"the template failed to render: {drop.Detail}"
                        : $"the template{(template is null ? "" : $" '{template}'")} failed to render: the attribute '{attribute}' is missing from the rendering data",
                    Facts(("template", template), ("missingAttribute", attribute), ("errorMessage", drop.Detail)));
            default:
                var global = drop.BounceSubType == "Suppressed";
                return new(Dropped, PlatformStage,
                    global ? "the recipient is on the SES global suppression list; SES did not send to it"
                           : "the recipient is on the account-level suppression list; SES did not send to it",
                    Facts(("suppressionList", global ? "global" : "account"), ("recipient", drop.Recipients.FirstOrDefault()?.Email)));
        }
    }

    private static Dictionary<string, string> Facts(params (string Key, string? Value)[] facts) =>
        facts.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value!);

    [GeneratedRegex(@"[Aa]ttribute\s+'([^']+)'")]
    private static partial Regex MissingAttribute();

    [GeneratedRegex(@"^template '([^']+)'")]
    private static partial Regex TemplateName();
}
