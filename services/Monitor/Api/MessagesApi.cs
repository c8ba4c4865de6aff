using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Diagnosis;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/messages").WithTags("Messages").RequireAuthorization(Policies.Viewer);
        group.MapGet("/{messageId}", GetMessage).WithName("GetMessage");
        return group;
    }

    public static async Task<Results<Ok<MessageView>, NotFound<ProblemDetails>>> GetMessage(
        ReadStore store, string messageId, CancellationToken ct)
    {
        var timeline = await store.GetMessageTimelineAsync(messageId, ct);
        if (timeline.Count == 0)
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "Message not found",
                Detail = $"No send attempt or SES event has been recorded for message '{messageId}'.",
                Status = StatusCodes.Status404NotFound,
            });

        var diagnosis = MessageDiagnosis.Diagnose(timeline);
        var attempt = timeline.FirstOrDefault(e => e.Kind == EventKind.Attempt);
        return TypedResults.Ok(new MessageView(
            messageId,
            timeline[0].AccountId,
            attempt is null ? null : Entry(attempt),
            timeline.Where(e => e.Kind != EventKind.Attempt).Select(Entry).ToList(),
            new DiagnosisView(diagnosis.Status, diagnosis.Stage, diagnosis.Reason, diagnosis.Facts)));
    }

    private static TimelineEntry Entry(NormalizedEvent e)
    {
        var recipients = e.Kind == EventKind.Attempt
            ? e.Destinations.Select(d => Recipient(d, null, null, e.Kind)).ToList()
            : e.Recipients.Select(r => Recipient(r.Email, r.Status, r.Diagnostic, e.Kind)).ToList();
        return new TimelineEntry(e.Kind == EventKind.RenderingFailure ? "Rendering Failure" : e.Kind.ToString(),
            DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs), e.Detail, e.BounceType, e.BounceSubType,
            e.ComplaintFeedbackType, e.DelayType, e.ErrorCode, recipients);
    }

    private static RecipientView Recipient(string email, string? status, string? diagnostic, EventKind kind)
    {
        var provider = ProviderDirectory.Default.FromDomain(EmailAddress.Domain(email));
        if (provider == Providers.Other && ProviderDirectory.Default.FromSignature(diagnostic) is { } p) provider = p;
        var classification = diagnostic is null || kind is EventKind.Complaint ? null : SmtpResponseClassifier.Default.Classify(diagnostic);
        return new RecipientView(email, status, diagnostic, classification?.Class, Providers.Name(provider), classification?.Explanation);
    }
}
