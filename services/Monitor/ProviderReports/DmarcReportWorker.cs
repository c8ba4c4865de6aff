using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Reports;
using ReputationMonitor.Engine;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.ProviderReports;

/// <summary>
/// DMARC aggregate reports: reads them from <c>email.dmarc-reports</c> (XML, gzip or zip), stores their rows per sending
/// domain and day, and publishes the day's DMARC findings for the domain onto <c>reputation.actions</c> (deterministic
/// ids: a report re-read, or a later report for the same day, never repeats a finding). Unreadable reports go to the DLQ.
/// </summary>
public sealed class DmarcReportWorker(
    KafkaConnection kafka, StartupGate gate, Topics topics, IOptions<KafkaOptions> kafkaOptions, IOptions<ProviderReportOptions> options,
    ProjectionStore store, ProviderReportStore reports, DeadLetterPublisher dlq, ILogger<DmarcReportWorker> logger)
    : ReportWorker(kafka, gate, store, dlq, logger)
{
    protected override string GroupId => $"{kafkaOptions.Value.ApplicationId}-dmarc-reports";
    protected override IReadOnlyList<string> SourceTopics => [topics.DmarcReports];
    protected override string Kind => "dmarc-report";

    protected override async Task WriteAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct)
    {
        foreach (var record in batch)
        {
            DmarcAggregateReport report;
            try
            {
                report = DmarcReportReader.Read(record.Message.Value ?? [], options.Value.MaxReportBytes);
            }
            catch (DmarcReportException e)
            {
                logger.LogWarning("DMARC report {Topic} [{Partition}] @{Offset} refused: {Reason}", record.Topic, record.Partition.Value,
                    record.Offset.Value, e.Message);
                MonitorMetrics.ProviderReports.WithLabels("dmarc", e.Code).Inc();
                await DeadLetters.PublishAsync(record, e.Code, $"{e.Code}: {e.Message}", ct);
                continue;
            }

            await reports.InsertDmarcReportAsync(report, ct);
            MonitorMetrics.ProviderReports.WithLabels("dmarc", "accepted").Inc();
            var day = (await reports.GetDaysAsync(report.Domain, report.Day, 1, ct)).SingleOrDefault();
            if (day is null) continue;
            foreach (var finding in DmarcRules.Evaluate(day, options.Value.Dmarc))
                await Producer.ProduceAsync(topics.Actions, new Message<string, byte[]>
                {
                    Key = $"domain:{finding.Entity}",
                    Value = JsonSerializer.SerializeToUtf8Bytes(finding, CoreJsonContext.Default.Decision),
                }, ct);
        }
    }
}
