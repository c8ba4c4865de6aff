using Prometheus;

namespace ReputationMonitor.Observability;

/// <summary>The metrics of the hosts: stream state, lag, routing, projections, API. The engine's own are in
/// <see cref="Engine.ReputationMonitor.Engine.Observability.EngineMetrics"/>. Labels are bounded sets: never account ids or addresses.</summary>
public static class MonitorMetrics
{
    public static readonly Gauge Entities = Metrics.CreateGauge(
        "reputation_entities", "Entities (accounts, configuration sets, tenants) by scope and status, from the status table.",
        "scope", "status");

    public static readonly Gauge ForecastCrossings = Metrics.CreateGauge(
        "reputation_forecast_entities",
        "Entities (accounts, configuration sets, tenants, sending domains, IPs) whose rates are forecast to reach the review or pause " +
        "threshold within Reputation:Forecast:Horizon at its confidence, from the published forecasts.",
        "scope", "threshold");

    public static readonly Gauge ConsumerLag = Metrics.CreateGauge(
        "reputation_consumer_lag_records", "Records on an input topic not yet committed by the stream processor (sum over partitions).",
        "topic");

    public static readonly Counter RecordsRouted = Metrics.CreateCounter(
        "reputation_records_routed_total",
        "Parsed input records by how they reached their account's engine: local (its partition is held by this instance, partition runtime) or repartition (through the by-account topic).",
        "route");

    public static readonly Counter.Child RoutedLocal = RecordsRouted.WithLabels("local"), RoutedRepartition = RecordsRouted.WithLabels("repartition");

    public static readonly Counter PartitionsKept = Metrics.CreateCounter(
        "reputation_partitions_kept_total",
        "By-account partitions given back to this instance by a rebalance with their changelog unchanged, kept in memory instead of restored (partition runtime).");

    public static readonly Counter StateRecordsRestored = Metrics.CreateCounter(
        "reputation_state_restored_records_total",
        "Changelog records read back to restore by-account partitions moved to this instance (partition runtime).");

    public static readonly Counter ProjectionFailures = Metrics.CreateCounter(
        "reputation_projection_failures_total",
        "Records the projections could not write for a permanent reason (constraint, refused data): isolated to projection_failures and the DLQ.",
        "kind");

    public static readonly Counter ProjectionWrites = Metrics.CreateCounter(
        "reputation_postgres_writes_total", "Records written to PostgreSQL by the projections, by kind.", "kind");

    public static readonly Counter ProjectionErrors = Metrics.CreateCounter(
        "reputation_postgres_write_errors_total", "Failed PostgreSQL write batches (retried), by kind.", "kind");

    public static readonly Histogram ProjectionLatency = Metrics.CreateHistogram(
        "reputation_postgres_write_duration_seconds", "Duration of one PostgreSQL write batch.",
        new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });

    public static readonly Gauge StreamRunning = Metrics.CreateGauge(
        "reputation_stream_running", "1 while the stream processor is in the RUNNING state.");

    public static readonly Counter AuthFailures = Metrics.CreateCounter(
        "reputation_api_auth_failures_total", "Requests that presented an API key the service does not know.");

    public static readonly Counter ProviderReports = Metrics.CreateCounter(
        "reputation_provider_reports_total",
        "Providers' reports read: complaint feedback loops (arf) and DMARC aggregate reports (dmarc), by outcome (accepted, or the DLQ reason).",
        "kind", "outcome");
}
