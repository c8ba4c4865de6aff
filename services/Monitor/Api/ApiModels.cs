using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Api;

public sealed record RatesView(double Bounce, double Complaint);

public sealed record WindowView(DateTimeOffset Start, DateTimeOffset End, long DurationSeconds);

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
    RateThresholds? Thresholds, ReviewView? OpenReview, long LateEvents, DateTimeOffset? UpdatedAt);

public sealed record AccountSummary(string AccountId, string Status, DateTimeOffset? StatusSince, long Sent, RatesView Rates);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

public sealed record RecipientView(string Email, string? Status, string? Diagnostic, string? Class, string? Provider, string? Explanation);

public sealed record TimelineEntry(string Type, DateTimeOffset At, string? Detail, string? BounceType, string? BounceSubType,
    string? FeedbackType, string? DelayType, string? ErrorCode, IReadOnlyList<RecipientView> Recipients);

public sealed record DiagnosisView(string Status, string Reason);

public sealed record MessageView(string MessageId, string AccountId, TimelineEntry? Attempt, IReadOnlyList<TimelineEntry> Events, DiagnosisView Diagnosis);

public sealed record KafkaSystemView(string BootstrapServers, bool Embedded, string ApplicationId, IReadOnlyDictionary<string, string> Topics);

public sealed record SystemView(KafkaSystemView Kafka, string StreamState, bool PostgresReachable, string Version);
