using System.Text.Json;
using System.Text.RegularExpressions;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// /metrics after a known scenario, scraped from the service running as its own process (so that no other test's
/// traffic is in its counters): the counters equal the scenario's counts. And the dashboard and the alert rules
/// name only metrics the service exports.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class MetricsScrapeTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "930000000013";

    private static string Root => Repository.Root;

    [Fact]
    public async Task After_a_scenario_the_counters_equal_its_counts()
    {
        var prefix = MonitorInstance.NewPrefix();
        var settings = MonitorInstance.Settings(prefix, kafka.BootstrapServers, await postgres.CreateDatabaseAsync());
        var (service, viewer) = await MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey);
        using var process = service;
        using var client = viewer;

        // Series known to exist are exported before any traffic, as zeros.
        var before = new PrometheusText(await viewer.GetStringAsync("/metrics"));
        Assert.Equal(0, before.Value("reputation_recipients_total", ("provider", "yahoo"), ("counter", "complaints")));
        Assert.Equal(0, before.Value("reputation_dlq_records_total", ("reason", "invalid_json"), ("source_topic", $"{prefix}.email.events")));

        var attempts = Attempts(Account);
        await MonitorInstance.ProduceAsync(kafka.BootstrapServers, $"{prefix}.email.send-attempts", attempts);
        await Poll.UntilAsync(async () => new PrometheusText(await viewer.GetStringAsync("/metrics")).Value("reputation_recipients_total", ("counter", "sent")),
            v => v == Sends + 3, TimeSpan.FromSeconds(60), "the sends to be counted");
        await MonitorInstance.ProduceAsync(kafka.BootstrapServers, $"{prefix}.email.events", [.. Events(Account), "{not json", "[]", "{\"eventType\": \"Bounce\"}"]);

        var events = $"{prefix}.email.events";
        var m = await Poll.UntilAsync(async () => new PrometheusText(await viewer.GetStringAsync("/metrics")),
            p => p.Value("reputation_events_consumed_total", ("topic", events)) == Events(Account).Count
                 && p.Value("reputation_entities", ("scope", "account"), ("status", "under_review")) == 1
                 && p.Value("reputation_consumer_lag_records", ("topic", events)) == 0,
            TimeSpan.FromSeconds(60), "the scenario to be processed and the gauges refreshed");

        // Input, by type and provider.
        Assert.Equal(attempts.Count, m.Value("reputation_events_consumed_total", ("topic", $"{prefix}.email.send-attempts"), ("type", "Attempt"), ("provider", "gmail")));
        Assert.Equal(Bounces + 1, m.Value("reputation_events_consumed_total", ("topic", events), ("type", "Bounce"), ("provider", "gmail")));
        Assert.Equal(Sends - Bounces, m.Value("reputation_events_consumed_total", ("topic", events), ("type", "Delivery")));
        // The DLQ, by reason: one record that is not JSON, one that is not an object, one without mail.
        Assert.Equal(1, m.Value("reputation_dlq_records_total", ("reason", "invalid_json"), ("source_topic", events)));
        Assert.Equal(1, m.Value("reputation_dlq_records_total", ("reason", "wrong_field_type"), ("source_topic", events)));
        Assert.Equal(1, m.Value("reputation_dlq_records_total", ("reason", "missing_field"), ("source_topic", events)));
        // Per provider outcomes, each recipient once.
        Assert.Equal(Sends + 3, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "sent")));
        Assert.Equal(Bounces, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "hardBounces")));
        Assert.Equal(Sends - Bounces, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "delivered")));
        Assert.Equal(1, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "suppressed")));
        Assert.Equal(Rejected, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "rejected")));
        Assert.Equal(0, m.Value("reputation_recipients_total", ("provider", "gmail"), ("counter", "complaints")));
        // Decisions: the account, its configuration set and its tenant under review, each with its latency observed.
        Assert.Equal(1, m.Value("reputation_decisions_total", ("scope", "account"), ("rule", "bounce-rate-review"), ("to", "under_review")));
        Assert.Equal(3, m.Value("reputation_decisions_total", ("rule", "bounce-rate-review")));
        Assert.Equal(1, m.Value("reputation_decision_latency_seconds_count", ("scope", "account")));
        Assert.Equal(1, m.Value("reputation_entities", ("scope", "tenant"), ("status", "under_review")));
        Assert.Equal(1, m.Value("reputation_stream_running"));
        Assert.True(m.Value("reputation_last_processed_timestamp_seconds", ("topic", events)) > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        Assert.True(m.Value("reputation_postgres_writes_total", ("kind", "projection")) > 0);
        Assert.Equal(0, m.Value("reputation_postgres_write_errors_total", ("kind", "projection")));
    }

    [Fact]
    public async Task The_dashboard_and_the_alert_rules_name_only_metrics_the_service_exports()
    {
        await using var factory = await MonitorApiFactory.StartAsync(kafka.BootstrapServers, await postgres.CreateDatabaseAsync());
        using var viewer = factory.Client(MonitorInstance.ViewerKey);
        var exported = new PrometheusText(await viewer.GetStringAsync("/metrics")).Names.ToHashSet();
        // Labelled families show in a scrape once they have a child; the rest are known from their declaration.
        foreach (var family in new[] { typeof(Observability.MonitorMetrics), typeof(Engine.Observability.EngineMetrics) }
                     .SelectMany(t => t.GetFields()).Select(f => f.GetValue(null)).OfType<Prometheus.Collector>())
            foreach (var suffix in family is Prometheus.Histogram ? new[] { "_bucket", "_sum", "_count" } : [""])
                exported.Add(family.Name + suffix);
        exported.Add("up"); // Prometheus's own, for MonitorDown

        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "infra", "grafana", "dashboards", "reputation-monitor.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString(), Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        Assert.True(expressions.Count >= 15, "the dashboard has its overview, provider and pipeline panels");
        var alerts = await File.ReadAllTextAsync(Path.Combine(Root, "infra", "prometheus", "alerts.yml"));

        var unknown = expressions.SelectMany(e => MetricName().Matches(e.Expr).Select(n => $"{e.Panel}: {n.Value}"))
            .Concat(MetricName().Matches(alerts).Select(n => $"alerts.yml: {n.Value}"))
            .Where(n => !exported.Contains(n[(n.LastIndexOf(' ') + 1)..])).Distinct().ToList();
        Assert.Empty(unknown);
    }

    [GeneratedRegex(@"\breputation_[a-z_]+\b")]
    private static partial Regex MetricName();
}
