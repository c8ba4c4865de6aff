using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>How the suppression routes (one address, list, import, export) read their parameters and show a row.</summary>
internal static class SuppressionRequests
{
    private static readonly string[] Reasons = [SuppressionChange.Bounce, SuppressionChange.Complaint, SuppressionChange.Manual];

    /// <summary>The list/export filter; errors name the query parameter at fault.</summary>
    public static SuppressionFilter Filter(string? reason, string? addedAfter, string? addedBefore, Dictionary<string, string[]> errors)
    {
        if (reason is not null && !Reasons.Contains(reason)) errors["reason"] = [$"reason must be one of {string.Join(", ", Reasons)}."];
        var from = Instant(addedAfter, "addedAfter", errors);
        var to = Instant(addedBefore, "addedBefore", errors);
        if (from is not null && to is not null && from >= to) errors["addedBefore"] = ["addedBefore must be later than addedAfter."];
        return new SuppressionFilter(reason, from, to);
    }

    private static DateTimeOffset? Instant(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime();
        errors[name] = [$"{name} must be an ISO 8601 instant such as 2026-11-26T00:00:00Z."];
        return null;
    }

    public static bool IsReason(string reason) => Reasons.Contains(reason);

    /// <summary>The address as the stream will store it (<see cref="EmailAddress.Normalize"/>) must be a single valid one.</summary>
    public static Dictionary<string, string[]> ValidateEmail(string email, string field = "email")
    {
        var errors = new Dictionary<string, string[]>();
        if (!EmailAddress.IsValid(EmailAddress.Normalize(email)))
            errors[field] = [$"{field} must be a single address like name@example.com."];
        return errors;
    }

    public static SuppressionView View(SuppressionRow r) =>
        new(r.Email, r.Reason, ApiResults.Utc(r.AddedAt)!.Value, r.MessageId, r.Actor, r.Note);
}

/// <summary>One address of an account's suppression list, as the API shows it.</summary>
public sealed record SuppressionView(string Email, string Reason, DateTimeOffset AddedAt, string? MessageId, string Actor, string? Note);
