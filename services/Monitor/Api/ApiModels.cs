using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Api;

public sealed record RatesView(double Bounce, double Complaint, double Throttle = 0)
{
    public static RatesView From(CountsView c) => c.Sent == 0 ? new(0, 0, 0)
        : new((double)c.HardBounces / c.Sent, (double)c.Complaints / c.Sent, (double)c.Throttled / c.Sent);
}

/// <param name="Mode"><c>window</c> (the evaluation window) or <c>representativeVolume</c> (the last <paramref name="Volume"/>
/// recipients, as far back as they reach): which measure produced the rates beside it.</param>
public sealed record WindowView(DateTimeOffset Start, DateTimeOffset End, long DurationSeconds, string Mode = "window", long? Volume = null);

public record CountsView(long Sent, long Delivered, long HardBounces, long SoftBounces, long Complaints,
    long Delayed, long Throttled, long Rejected, long Suppressed)
{
    public static CountsView From(IReadOnlyDictionary<string, long>? c)
    {
        long Get(string k) => c is not null && c.TryGetValue(k, out var v) ? v : 0;
        return new(Get("sent"), Get("delivered"), Get("hardBounces"), Get("softBounces"), Get("complaints"),
            Get("delayed"), Get("throttled"), Get("rejected"), Get("suppressed"));
    }
}

public sealed record ProviderView(string Provider, long Sent, long Delivered, long HardBounces, long SoftBounces, long Complaints,
    long Delayed, long Throttled, long Rejected, long Suppressed, RatesView Rates);

public sealed record ReviewView(Guid Id, string Rule, DateTimeOffset OpenedAt, DateTimeOffset Deadline);

public sealed record AccountView(
    string AccountId, string Status, string? StatusReason, string? StatusRule, DateTimeOffset? StatusSince,
    RatesView Rates, WindowView? Window, CountsView Totals, IReadOnlyList<ProviderView> ByProvider,
    RateThresholds? Thresholds, ReviewView? OpenReview, long LateEvents, DateTimeOffset? UpdatedAt, DateTimeOffset? AsOf,
    Forecast? Forecast = null);

public sealed record AccountSummary(string AccountId, string Status, DateTimeOffset? StatusSince, long Sent, RatesView Rates,
    WindowView? Window, RateThresholds? Thresholds);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

public sealed record RecipientView(string Email, string? Status, string? Diagnostic, string? Class, string? Provider, string? Explanation);

public sealed record TimelineEntry(string Type, DateTimeOffset At, string? Detail, string? BounceType, string? BounceSubType,
    string? FeedbackType, string? DelayType, string? ErrorCode, IReadOnlyList<RecipientView> Recipients);

public sealed record DiagnosisView(string Status, string Stage, string Reason, IReadOnlyDictionary<string, string> Facts);

public sealed record MessageView(string MessageId, string AccountId, TimelineEntry? Attempt, IReadOnlyList<TimelineEntry> Events, DiagnosisView Diagnosis);

public sealed record KafkaSystemView(string BootstrapServers, bool Embedded, string ApplicationId, IReadOnlyDictionary<string, string> Topics);

public sealed record SystemView(KafkaSystemView Kafka, string StreamState, string? StreamLastError, bool PostgresReachable, string Version);

/// <summary>An SMTP response rule seen in the window, with what it means.</summary>
public sealed record ResponseView(string Provider, string Class, string RuleId, string Explanation, long Count, string? Scope = null);

public sealed record BreakdownRow(string Key, CountsView Counts, RatesView Rates, IReadOnlyList<ResponseView> TopResponses);

/// <summary><c>Thresholds</c> are the rate limits in force now: rows above them are why an account is where it is.</summary>
public sealed record BreakdownView(string AccountId, string By, string Window, WindowView? Period, RateThresholds Thresholds,
    IReadOnlyList<BreakdownRow> Rows, DateTimeOffset? AsOf);

/// <param name="Forecast">Where this account's traffic on the dimension is heading.</param>
public sealed record AccountShare(string AccountId, long Sent, RatesView Rates, Forecast? Forecast = null);

/// <param name="Findings">The newest findings raised on this dimension (a sending domain's or IP's across accounts).</param>
/// <param name="Forecast">Where its rates are heading: with several accounts on it, the one whose crossing comes first (each
/// account's own is in <paramref name="Accounts"/>).</param>
public sealed record DimensionView(string Kind, string Value, string Window, WindowView? Period, CountsView Totals, RatesView Rates,
    RateThresholds Thresholds, IReadOnlyList<ProviderView> ByProvider, IReadOnlyList<ResponseView> TopResponses,
    IReadOnlyList<AccountShare> Accounts, DateTimeOffset? AsOf, IReadOnlyList<FindingsApi.FindingView>? Findings = null,
    Forecast? Forecast = null);
