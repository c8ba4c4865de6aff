using Prometheus;

namespace ReputationMonitor.Engine.Observability;

/// <summary>The metrics the engine and its input parsers export. Labels are bounded sets: never account ids or addresses.</summary>
public static class EngineMetrics
{

    public static readonly Counter EventsConsumed = Metrics.CreateCounter(
        "reputation_events_consumed_total", "Input records parsed successfully, by source topic, event type and the first recipient's provider.",
        "topic", "type", "provider");

    public static readonly Counter Recipients = Metrics.CreateCounter(
        "reputation_recipients_total",
        "Recipient outcomes counted into the windows, by recipient provider and counter (sent, delivered, hardBounces, softBounces, " +
        "complaints, delayed, throttled, rejected, suppressed). Each recipient counts once per counter (duplicates are not counted).",
        "provider", "counter");

    /// <summary>The children of <see cref="Recipients"/>, resolved once: this is on the per-record path.</summary>
    private static readonly Counter.Child[][] RecipientChildren = Enumerable.Range(0, Core.Model.Providers.All.Count)
        .Select(p => Enumerable.Range(0, Core.Model.Counters.Count).Select(c =>
            Recipients.WithLabels(Core.Model.Providers.Name(p), Core.Model.Counters.Name(c))).ToArray()).ToArray();

    public static void CountRecipients(int provider, int counter, int amount)
    {
        // A provider refinement moves a send from "other" to the provider found (-1, +1); a counter cannot go
        // down, so the move shows as an extra send at the provider found.
        if (amount > 0) RecipientChildren[provider][counter].Inc(amount);
    }

    public static readonly Counter LateEvents = Metrics.CreateCounter(
        "reputation_late_events_total",
        "Counter moves refused because their event time is older than the long window (24 h) behind stream time. " +
        "Closed windows never change; the events still appear in message traces.");

    public static readonly Histogram DecisionLatency = Metrics.CreateHistogram(
        "reputation_decision_latency_seconds",
        "From the event time of the record that caused a decision to the decision being published (replays of old data are slow by definition).",
        new HistogramConfiguration { LabelNames = ["scope"], Buckets = Histogram.ExponentialBuckets(0.05, 2, 16) });

    public static readonly Gauge LastProcessed = Metrics.CreateGauge(
        "reputation_last_processed_timestamp_seconds", "Wall-clock time (Unix seconds) the stream last processed a record from the topic.",
        "topic");

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "reputation_dlq_records_total", "Records sent to the dead-letter topic, by reason code and source topic.",
        "reason", "source_topic");

    public static readonly Counter JoinOutcomes = Metrics.CreateCounter(
        "reputation_join_outcomes_total", "What the join did with each record: applied, buffered (waiting for the attempt), ignored, fallback.",
        "outcome");

    /// <summary>The children of <see cref="JoinOutcomes"/> by <see cref="Core.Join.JoinOutcome"/>, resolved once (per-record path).</summary>
    private static readonly Counter.Child[] JoinOutcomeChildren = Enum.GetValues<Core.Join.JoinOutcome>()
        .Select(o => JoinOutcomes.WithLabels(o.ToString().ToLowerInvariant())).ToArray();

    public static void CountJoin(Core.Join.JoinOutcome outcome) => JoinOutcomeChildren[(int)outcome].Inc();

    public static readonly Gauge PendingMessages = Metrics.CreateGauge(
        "reputation_join_pending_messages", "Messages whose events wait for their send attempt (join buffer size).");

    public static readonly Counter MissingDimensionSets = Metrics.CreateCounter(
        "reputation_ledger_dimension_sets_missing_total",
        "Message ledgers read whose dimension set (tenant, configuration set, pool, IP, domain, caller) was no longer stored: their later events count for the account only. Should stay 0.");

    public static readonly Counter Decisions = Metrics.CreateCounter(
        "reputation_decisions_total", "Status transitions and findings published, by scope, rule and resulting status.",
        "scope", "rule", "to");

    public static readonly Counter Findings = Metrics.CreateCounter(
        "reputation_findings_total", "Findings raised (warnings with evidence), by pillar, rule and provider.",
        "pillar", "rule", "provider");

    public static readonly Counter SuppressionChanges = Metrics.CreateCounter(
        "reputation_suppression_changes_total", "Account suppression-list changes, by action and reason.", "action", "reason");

    public static readonly Counter Commands = Metrics.CreateCounter(
        "reputation_operator_commands_total", "Operator commands received by the stream, by type and result (applied, no_change).",
        "type", "result");

    public static readonly Counter CommandsRefused = Metrics.CreateCounter(
        "reputation_commands_refused_total",
        "Records on the commands topic refused at the door (sent to the DLQ): unauthorized_command (no valid API signature) or invalid_command.",
        "reason");

    public static readonly Counter TickErrors = Metrics.CreateCounter(
        "reputation_tick_errors_total", "Periodic engine steps that failed (the step is skipped once; the stream goes on), by step.", "step");
}
