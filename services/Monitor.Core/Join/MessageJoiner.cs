using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Core.Join;

public enum JoinOutcome { Applied, Buffered, Ignored }

/// <summary>
/// Joins send attempts and SES events of one message and turns them into per-recipient counter moves.
/// <list type="bullet">
/// <item><c>sent</c> counts once per message, on the accepted attempt or the SES Send event, whichever comes first.</item>
/// <item>Every other counter moves at most once per recipient, so duplicates and the attempt/Send overlap never double count.</item>
/// <item>Outcome events that arrive before the message was counted as sent wait in the ledger for the attempt;
/// after the grace period they fall back to the event's own <c>mail</c> object.</item>
/// </list>
/// </summary>
public sealed class MessageJoiner(ProviderDirectory providers, SmtpResponseClassifier classifier, JoinOptions options)
{
    public JoinOptions Options => options;

    /// <param name="horizonMs">Event time before which a message is too old to count as a new send
    /// (stream time minus ledger retention).</param>
    public JoinOutcome Apply(MessageLedger ledger, NormalizedEvent e, ICounterSink sink, long horizonMs, long wallNowMs)
    {
        ledger.LastEventMs = Math.Max(ledger.LastEventMs, e.TimestampMs);
        switch (e.Kind)
        {
            case EventKind.Attempt:
                if (!e.Accepted) return JoinOutcome.Ignored;
                ledger.AttemptSeen = true;
                MergeDimensions(ledger, e, overwrite: true);
                return CountSentThenFlush(ledger, e.Destinations, e.TimestampMs, sink);
            case EventKind.Send:
                MergeDimensions(ledger, e, overwrite: false);
                return CountSentThenFlush(ledger, e.Destinations, e.MailTimestampMs, sink);
            case EventKind.Open or EventKind.Click or EventKind.Subscription:
                return JoinOutcome.Ignored;
        }

        if (!ledger.SentCounted)
        {
            if (e.MailTimestampMs < horizonMs)
            {
                // Feedback for a message older than we remember: it counts now, but not as a new send.
                RegisterRecipients(ledger, e.Destinations, countSent: false, e.MailTimestampMs, sink);
            }
            else
            {
                MergeDimensions(ledger, e, overwrite: false);
                ledger.Pending ??= [];
                if (ledger.Pending.Count == 0)
                {
                    ledger.PendingSinceMs = e.TimestampMs;
                    ledger.PendingSinceWallMs = wallNowMs;
                }
                ledger.Pending.Add(e);
                if (ledger.Pending.Count < options.MaxPendingEventsPerMessage) return JoinOutcome.Buffered;
                FallBack(ledger, sink);
                return JoinOutcome.Applied;
            }
        }

        ApplyOutcome(ledger, e, sink);
        return JoinOutcome.Applied;
    }

    /// <summary>True when the ledger's early events have waited longer than the grace period.</summary>
    public bool IsPendingExpired(MessageLedger ledger, long streamTimeMs, long wallNowMs)
    {
        if (!ledger.HasPending) return false;
        var grace = (long)options.Grace.TotalMilliseconds;
        return streamTimeMs - ledger.PendingSinceMs >= grace || wallNowMs - ledger.PendingSinceWallMs >= grace;
    }

    /// <summary>No attempt came: count the message as sent from the first waiting event's <c>mail</c> object.</summary>
    public void FallBack(MessageLedger ledger, ICounterSink sink)
    {
        if (!ledger.HasPending) return;
        var first = ledger.Pending![0];
        CountSentThenFlush(ledger, first.Destinations, first.MailTimestampMs, sink);
    }

    private JoinOutcome CountSentThenFlush(MessageLedger ledger, string[] destinations, long sentAtMs, ICounterSink sink)
    {
        if (ledger.SentCounted) return JoinOutcome.Ignored;
        RegisterRecipients(ledger, destinations, countSent: true, sentAtMs, sink);
        if (ledger.Pending is { Count: > 0 } pending)
        {
            ledger.Pending = null;
            ledger.PendingSinceMs = 0;
            ledger.PendingSinceWallMs = 0;
            foreach (var p in pending) ApplyOutcome(ledger, p, sink);
        }
        return JoinOutcome.Applied;
    }

    private void RegisterRecipients(MessageLedger ledger, string[] destinations, bool countSent, long sentAtMs, ICounterSink sink)
    {
        ledger.SentCounted = true;
        ledger.SentAtMs = sentAtMs;
        foreach (var d in destinations)
        {
            var r = Recipient(ledger, d);
            if (r.CountedSent || r.Simulator || !countSent) continue;
            r.CountedSent = true;
            sink.Add(ledger, r.Provider, Counters.Sent, sentAtMs);
            if (sink.IsSuppressed(r.Email)) Mark(ledger, sink, r, Counters.Suppressed, sentAtMs);
        }
    }

    private void ApplyOutcome(MessageLedger ledger, NormalizedEvent e, ICounterSink sink)
    {
        switch (e.Kind)
        {
            case EventKind.Bounce:
            {
                var permanent = string.Equals(e.BounceType, "Permanent", StringComparison.OrdinalIgnoreCase);
                var counter = !permanent ? Counters.SoftBounces
                    : string.Equals(e.BounceSubType, "OnAccountSuppressionList", StringComparison.OrdinalIgnoreCase)
                        ? Counters.Suppressed : Counters.HardBounces;
                foreach (var rd in e.Recipients)
                    Feedback(ledger, e, rd, counter, sink, e.ReportingMta);
                break;
            }
            case EventKind.Complaint:
                foreach (var rd in e.Recipients) Feedback(ledger, e, rd, Counters.Complaints, sink, null);
                break;
            case EventKind.Delivery:
                foreach (var rd in e.Recipients) Feedback(ledger, e, rd, Counters.Delivered, sink, e.ReportingMta);
                break;
            case EventKind.DeliveryDelay:
                foreach (var rd in e.Recipients) Feedback(ledger, e, rd, Counters.Delayed, sink, e.ReportingMta);
                break;
            case EventKind.Reject or EventKind.RenderingFailure:
                if (ledger.Recipients.Count == 0) RegisterRecipients(ledger, e.Destinations, countSent: false, e.MailTimestampMs, sink);
                foreach (var r in ledger.Recipients) Mark(ledger, sink, r, Counters.Rejected, e.TimestampMs);
                break;
        }
    }

    private void Feedback(MessageLedger ledger, NormalizedEvent e, RecipientDetail rd, int counter, ICounterSink sink, string? mta)
    {
        var r = Recipient(ledger, rd.Email);
        if (r.Simulator) return;
        RefineProvider(ledger, r, rd.Diagnostic, mta, sink);
        var classification = counter is Counters.Delivered or Counters.Complaints ? null : classifier.Classify(rd.Diagnostic);
        var isNew = Mark(ledger, sink, r, counter, e.TimestampMs, classification?.Key);
        if (classification?.Class == SmtpClasses.Throttled) Mark(ledger, sink, r, Counters.Throttled, e.TimestampMs);

        if (isNew && counter is Counters.HardBounces or Counters.Complaints)
            sink.Suppress(ledger, r.Email, counter == Counters.Complaints ? Rules.SuppressionChange.Complaint : Rules.SuppressionChange.Bounce, e.TimestampMs);
        if (isNew && counter is Counters.HardBounces or Counters.Complaints)
            sink.Sample(new EvidenceSample
            {
                MessageId = ledger.MessageId,
                Recipient = r.Email,
                Counter = Counters.Name(counter),
                Diagnostic = counter == Counters.Complaints ? e.ComplaintFeedbackType : rd.Diagnostic,
                Class = classification?.Class,
                AtMs = e.TimestampMs,
            });
    }

    private static bool Mark(MessageLedger ledger, ICounterSink sink, RecipientState r, int counter, long timestampMs, string? responseRule = null)
    {
        var flag = Counters.Flag(counter);
        if (r.Simulator || (r.Flags & flag) != 0) return false;
        r.Flags |= flag;
        (r.Moves ??= []).Add(timestampMs << 4 | (long)counter);
        sink.Add(ledger, r.Provider, counter, timestampMs, 1, responseRule);
        return true;
    }

    /// <summary>
    /// A custom domain is 'other' until a response reveals who hosts it (gsmtp → Google Workspace). Then
    /// the recipient's sent and every counter it already moved go with it, at their own event times, so the
    /// split does not depend on which event came first. The first signature seen wins.
    /// </summary>
    private void RefineProvider(MessageLedger ledger, RecipientState r, string? diagnostic, string? mta, ICounterSink sink)
    {
        if (r.Provider != Providers.Other) return;
        var p = providers.FromSignature(diagnostic) ?? providers.FromSignature(mta);
        if (p is not { } found || found == Providers.Other) return;
        if (r.CountedSent)
        {
            sink.Add(ledger, Providers.Other, Counters.Sent, ledger.SentAtMs, -1);
            sink.Add(ledger, found, Counters.Sent, ledger.SentAtMs);
        }
        foreach (var move in r.Moves ?? [])
        {
            var (counter, at) = ((int)(move & 0xF), move >> 4);
            sink.Add(ledger, Providers.Other, counter, at, -1);
            sink.Add(ledger, found, counter, at);
        }
        r.Provider = found;
    }

    private RecipientState Recipient(MessageLedger ledger, string email)
    {
        var normalized = EmailAddress.Normalize(email);
        if (ledger.Find(normalized) is { } existing) return existing;
        var r = new RecipientState
        {
            Email = normalized,
            Simulator = EmailAddress.IsMailboxSimulator(normalized),
            Provider = providers.FromDomain(EmailAddress.Domain(normalized)),
        };
        ledger.Recipients.Add(r);
        return r;
    }

    private static void MergeDimensions(MessageLedger ledger, NormalizedEvent e, bool overwrite)
    {
        static string? Pick(string? current, string? incoming, bool overwrite) =>
            overwrite ? incoming ?? current : current ?? incoming;
        ledger.Tenant = Pick(ledger.Tenant, e.Tenant, overwrite);
        ledger.ConfigurationSet = Pick(ledger.ConfigurationSet, e.ConfigurationSet, overwrite);
        ledger.SendingPool = Pick(ledger.SendingPool, e.SendingPool, overwrite);
        ledger.SendingIp = Pick(ledger.SendingIp, e.SendingIp, overwrite);
        ledger.FromDomain = Pick(ledger.FromDomain, e.FromDomain, overwrite);
        ledger.CallerIdentity = Pick(ledger.CallerIdentity, e.CallerIdentity, overwrite);
        ledger.CallerIp = Pick(ledger.CallerIp, e.CallerIp, overwrite);
    }
}
