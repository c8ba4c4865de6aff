using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Reports;
using ReputationMonitor.Engine;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.ProviderReports;

/// <summary>
/// Complaint feedback loops: reads raw ARF reports from <c>email.feedback-reports</c>, finds the reported message in the
/// traces (by its Message-ID), and produces the SES complaint event it amounts to onto <c>email.events</c>, where the
/// stream counts it once per recipient and message together with SES's own complaints. A report that is not ARF,
/// names no message, or whose message stays unknown goes to the DLQ with the reason.
/// </summary>
public sealed class FeedbackReportWorker(
    KafkaConnection kafka, StartupGate gate, Topics topics, IOptions<KafkaOptions> kafkaOptions, IOptions<ProviderReportOptions> options,
    ProjectionStore store, ReadStore traces, DeadLetterPublisher dlq, TimeProvider clock, ILogger<FeedbackReportWorker> logger)
    : ReportWorker(kafka, gate, store, dlq, logger)
{
    public const string Unattributed = "unattributed_feedback_report";

    protected override string GroupId => $"{kafkaOptions.Value.ApplicationId}-feedback-reports";
    protected override IReadOnlyList<string> SourceTopics => [topics.FeedbackReports];
    protected override string Kind => "feedback-report";

    protected override async Task WriteAsync(IReadOnlyList<ConsumeResult<byte[], byte[]>> batch, CancellationToken ct)
    {
        foreach (var record in batch)
        {
            var raw = record.Message.Value ?? [];
            FeedbackReport report;
            try
            {
                report = FeedbackReportReader.Read(raw, options.Value.MaxReportBytes);
            }
            catch (FeedbackReportException e)
            {
                await RefuseAsync(record, e.Code, e.Message, ct);
                continue;
            }

            var message = await FindMessageAsync(report, record, ct);
            if (message is null)
            {
                await RefuseAsync(record, Unattributed, $"no message {report.OriginalMessageId} is known (waited {options.Value.AttributionWait})", ct);
                continue;
            }
            var (recipient, problem) = FeedbackComplaint.RecipientOf(report, message);
            if (recipient is null)
            {
                await RefuseAsync(record, Unattributed, problem!, ct);
                continue;
            }
            var value = FeedbackComplaint.ToSesEvent(report, message, recipient, raw, clock.GetUtcNow());
            await Producer.ProduceAsync(topics.Events, new Message<string, byte[]> { Key = message.MessageId!, Value = value }, ct);
            MonitorMetrics.ProviderReports.WithLabels("arf", "accepted").Inc();
        }
    }

    /// <summary>The message's send attempt or SES send event, waiting (bounded) for a trace that has not been written yet.</summary>
    private async Task<NormalizedEvent?> FindMessageAsync(FeedbackReport report, ConsumeResult<byte[], byte[]> record, CancellationToken ct)
    {
        var deadline = record.Message.Timestamp.UtcDateTime + options.Value.AttributionWait;
        for (var wait = 250; ; wait = Math.Min(wait * 2, 2000))
        {
            foreach (var id in report.CandidateMessageIds())
            {
                var timeline = await traces.GetMessageTimelineAsync(id, ct);
                var found = timeline.FirstOrDefault(e => e.Kind is EventKind.Attempt or EventKind.Send) ?? timeline.FirstOrDefault();
                if (found is not null) return found;
            }
            if (clock.GetUtcNow().UtcDateTime >= deadline) return null;
            await Task.Delay(wait, ct);
        }
    }

    private async Task RefuseAsync(ConsumeResult<byte[], byte[]> record, string code, string reason, CancellationToken ct)
    {
        logger.LogWarning("Feedback report {Topic} [{Partition}] @{Offset} refused: {Reason}", record.Topic, record.Partition.Value, record.Offset.Value, reason);
        MonitorMetrics.ProviderReports.WithLabels("arf", code).Inc();
        await DeadLetters.PublishAsync(record, code, $"{code}: {reason}", ct);
    }
}
