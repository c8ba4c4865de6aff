using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// What an operator command may carry: the bounds the API enforces on its requests, checked again by the stream at
/// the door, so a record written to the commands topic by anything but the API is held to the same limits.
/// </summary>
public static class CommandRules
{
    public const int MaxReasonLength = 2000, MaxIdLength = 128, MaxActorLength = 256, MaxEntityLength = 1024;

    /// <summary>A bulk import sends its addresses in chunks of at most this many per command.</summary>
    public const int MaxEmailsPerCommand = 1000;

    public static readonly TimeSpan MaxExtendBy = TimeSpan.FromDays(30);

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        OperatorCommand.Pause, OperatorCommand.Resume, OperatorCommand.Resolve, OperatorCommand.Extend,
        OperatorCommand.Suppress, OperatorCommand.Unsuppress,
    };

    public const string AccountScope = "account";

    /// <summary>Why the command cannot be applied, or null when it fits every bound.</summary>
    /// <param name="wallNowMs">The wall clock; a command dated beyond it plus <paramref name="maxFutureSkewMs"/> is refused, and so is
    /// one older than <paramref name="maxAgeMs"/> (a signed command captured and replayed later: the state machine remembers only
    /// the last command ids of each entity, and suppression changes none).</param>
    public static string? Violation(OperatorCommand c, long wallNowMs, long maxFutureSkewMs, long maxAgeMs)
    {
        if (!Types.Contains(c.Type ?? "")) return $"type '{Shown(c.Type)}' is not one of {string.Join(", ", Types)}";
        if (!RuleDefinition.StatusScopes.Contains(c.Scope ?? "")) return $"scope '{Shown(c.Scope)}' is not one of {string.Join(", ", RuleDefinition.StatusScopes)}";
        if (c.Scope == AccountScope)
        {
            if (AccountIds.Violation(c.Entity) is { } entity) return $"entity: {entity}";
        }
        else
        {
            // A configuration set's or tenant's review: resolve, extend, pause or resume it; suppression lists are the account's.
            if (c.Type is OperatorCommand.Suppress or OperatorCommand.Unsuppress) return $"{c.Type} is an account command, not a {c.Scope} one";
            var cut = c.Entity?.IndexOf('/') ?? -1;
            if (cut <= 0 || AccountIds.Violation(c.Entity![..cut]) is not null || !IsText(c.Entity[(cut + 1)..], MaxEntityLength))
                return $"entity of a {c.Scope} command must be 'account/value' (an account id, then 1 to {MaxEntityLength} characters)";
        }
        if (!IsIdentifier(c.CommandId, MaxIdLength)) return $"commandId must be 1 to {MaxIdLength} printable characters";
        if (!IsText(c.Actor, MaxActorLength)) return $"actor must be 1 to {MaxActorLength} characters without control characters";
        if (!IsText(c.Reason, MaxReasonLength)) return $"reason must be 1 to {MaxReasonLength} characters without control characters";
        if (c.At == default) return "at is required";
        if (EventTime.IsInFuture(c.At.ToUnixTimeMilliseconds(), wallNowMs, maxFutureSkewMs))
            return $"{DlqReasons.TimestampInFuture}: at {c.At:O} is ahead of the wall clock by more than {TimeSpan.FromMilliseconds(maxFutureSkewMs)}";
        if (wallNowMs - c.At.ToUnixTimeMilliseconds() > maxAgeMs)
            return $"at {c.At:O} is older than {TimeSpan.FromMilliseconds(maxAgeMs)}: a command is applied within that time or not at all";
        if (c.ReviewId is { } review && !IsIdentifier(review, MaxIdLength)) return "reviewId is malformed";
        switch (c.Type)
        {
            case OperatorCommand.Extend when c.ExtendBy is not { } by || by <= TimeSpan.Zero || by > MaxExtendBy:
                return $"extendBy must be more than 0 and at most {MaxExtendBy.TotalHours:N0} hours";
            case OperatorCommand.Resolve when c.Outcome is not (EntityStatus.Healthy or EntityStatus.Paused):
                return "outcome must be 'healthy' or 'paused'";
            case OperatorCommand.Suppress:
                if (c.Email is null && c.Emails is not { Count: > 0 }) return "suppress needs email or emails";
                if (c.Emails is { Count: > MaxEmailsPerCommand }) return $"emails holds {c.Emails.Count} addresses; at most {MaxEmailsPerCommand}";
                if (c.SuppressionReason is { } why && why is not (SuppressionChange.Bounce or SuppressionChange.Complaint or SuppressionChange.Manual))
                    return $"suppressionReason '{Shown(why)}' is not BOUNCE, COMPLAINT or MANUAL";
                if (c.Email is { } one && !EmailAddress.IsValid(one)) return "email is not a single valid address";
                if (c.Emails?.FindIndex(e => !EmailAddress.IsValid(e)) is >= 0 and var bad) return $"emails[{bad}] is not a single valid address";
                break;
            case OperatorCommand.Unsuppress when !EmailAddress.IsValid(c.Email):
                return "unsuppress needs email, a single valid address";
        }
        if (c.ExtendBy is { } any && (any < TimeSpan.Zero || any > MaxExtendBy)) return "extendBy is out of range";
        return null;
    }

    /// <summary>The account a command is about (the key it travels under): its entity, or the account part of
    /// <c>account/value</c> for a configuration set's or tenant's.</summary>
    public static string AccountOf(OperatorCommand c) => c.Entity.IndexOf('/') is > 0 and var cut ? c.Entity[..cut] : c.Entity;

    /// <summary>An account id or a similar key: printable, no '/', which separates an account from its dimension in keys.</summary>
    public static bool IsIdentifier([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value, int maxLength) =>
        IsText(value, maxLength) && !value.Contains('/') && !value.Any(char.IsWhiteSpace);

    /// <summary>Non-blank text of at most <paramref name="maxLength"/> characters whose only control characters are line
    /// breaks and tabs (PostgreSQL refuses NUL in text, and a terminal or log viewer should not be steered by the rest).</summary>
    public static bool IsText([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength && !HasForbiddenControl(value);

    /// <summary>A control character other than a line break or a tab, or the replacement character of invalid UTF-8.</summary>
    public static bool HasForbiddenControl(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
            if ((char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || c == '\uFFFD') return true;
        return false;
    }

    private static string Shown(string? value) => value is null ? "" : value.Length > 40 ? value[..40] + "…" : value;
}
