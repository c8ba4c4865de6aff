using ReputationMonitor.Core.Join;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// The join's two clocks over the partition's ledgers: events waiting for their send attempt fall back to their own mail
/// object once their grace has passed (or the buffer is full), and ledgers older than the retention are forgotten.
/// </summary>
internal sealed class PendingJoins(ReputationEngineSettings settings, ReputationStateStore state, MessageJoiner joiner)
{
    private readonly long _graceMs = (long)settings.Join.Grace.TotalMilliseconds;
    private readonly long _retentionMs = (long)settings.Join.Retention.TotalMilliseconds;
    /// <summary>Messages whose events wait for their attempt, by when they started waiting (event time), with the wall
    /// time too: whether the head has waited out the grace is known without reading its ledger, which would otherwise be
    /// decoded on every record while the head waits.</summary>
    private readonly PriorityQueue<(string MessageId, long SinceWallMs), long> _pending = new();
    private readonly RetentionQueue _retention = new();
    private int _pendingCount;
    private int _reportedPending; // this partition's share of the process-wide gauge

    public long RetentionMs => _retentionMs;

    /// <summary>A ledger restored at start, in retention order.</summary>
    public void Restored(UInt128 hash, MessageLedger ledger)
    {
        _retention.Enqueue(ledger.LastEventMs, hash);
        if (ledger.HasPending) Track(ledger);
    }

    /// <summary>A record was joined into its ledger.</summary>
    public void Joined(UInt128 hash, MessageLedger ledger, bool isNew, bool hadPending)
    {
        if (!hadPending && ledger.HasPending) Track(ledger);
        if (hadPending && !ledger.HasPending) _pendingCount--;
        if (isNew) _retention.Enqueue(ledger.LastEventMs, hash);
    }

    /// <summary>Early events whose attempt never came fall back (<paramref name="settle"/>) to their own mail object.</summary>
    public void Expire(long wallNow, Action<MessageLedger> settle)
    {
        var streamTime = state.StreamTimeMs;
        while (_pending.TryPeek(out var head, out var sinceMs))
        {
            var overflow = _pendingCount > settings.Join.MaxPendingMessages;
            if (!overflow && streamTime - sinceMs < _graceMs && wallNow - head.SinceWallMs < _graceMs) break;
            var ledger = state.GetLedger(head.MessageId);
            // Joined since, or waiting again since a later event (that wait has an entry of its own).
            if (ledger is null || !ledger.HasPending || ledger.PendingSinceMs != sinceMs)
            {
                _pending.Dequeue();
                continue;
            }
            if (!overflow && !joiner.IsPendingExpired(ledger, streamTime, wallNow)) break;
            _pending.Dequeue();
            _pendingCount--;
            settle(ledger);
            EngineMetrics.JoinOutcomes.WithLabels(overflow ? "fallback_overflow" : "fallback").Inc();
            state.PutLedger(ledger);
        }
        ReportPending();
    }

    /// <summary>Forgets the ledgers past the retention; one still waiting is settled first (it is certainly past its grace).</summary>
    public void Evict(Action<MessageLedger> settle)
    {
        var horizon = state.StreamTimeMs - _retentionMs;
        while (_retention.TryPeek(out var latestMs, out var hash) && latestMs < horizon)
        {
            _retention.Dequeue();
            var ledger = state.GetLedger(hash);
            if (ledger is null) continue;
            if (ledger.LastEventMs >= horizon)
            {
                _retention.Enqueue(ledger.LastEventMs, hash);
                continue;
            }
            if (ledger.HasPending)
            {
                _pendingCount--;
                settle(ledger);
            }
            state.DeleteLedger(hash);
        }
    }

    /// <summary>The partition is no longer this instance's (or the host stops): its share leaves the gauge.</summary>
    public void Close()
    {
        EngineMetrics.PendingMessages.Dec(_reportedPending);
        _reportedPending = 0;
    }

    private void Track(MessageLedger ledger)
    {
        _pending.Enqueue((ledger.MessageId, ledger.PendingSinceWallMs), ledger.PendingSinceMs);
        _pendingCount++;
        ReportPending();
    }

    /// <summary>
    /// The gauge is the process's total over its partitions, so each engine adds what changed since it last reported
    /// (a <c>Set</c> per engine would show whichever partition wrote last).
    /// </summary>
    private void ReportPending()
    {
        var change = _pendingCount - _reportedPending;
        if (change == 0) return;
        if (change > 0) EngineMetrics.PendingMessages.Inc(change);
        else EngineMetrics.PendingMessages.Dec(-change);
        _reportedPending = _pendingCount;
    }
}
