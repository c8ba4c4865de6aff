namespace ReputationMonitor.Core.Join;

public sealed class JoinOptions
{
    /// <summary>How long an event may wait for its send attempt or SES Send event before the event's own
    /// <c>mail</c> object is used instead (event time, and also wall time so an idle stream still flushes).</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a message's ledger is kept for deduplication after its last event (event time).
    /// Feedback for an older message still counts, against the window it arrives in, but not as a new send.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(4);

    /// <summary>Upper bound on messages waiting for their attempt; beyond it the oldest fall back at once.</summary>
    public int MaxPendingMessages { get; set; } = 100_000;

    /// <summary>Upper bound on events buffered for one message.</summary>
    public int MaxPendingEventsPerMessage { get; set; } = 32;
}
