using System.Text;
using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace ReputationMonitor.Streaming;

/// <summary>
/// The stateful heart of the stream, one instance per task (account partition): joins each message's
/// attempt and events in the ledger store, moves the account's windowed counters, evaluates the rate
/// rules, and emits decisions at once and changed account statistics every snapshot interval.
/// Both stores are changelogged, so a restarted or moved task resumes where it stopped.
/// </summary>
public sealed class ReputationTransformer : ITransformer<byte[], NormalizedEvent, string, StreamOutput>
{
    private readonly ReputationEngineSettings settings;

    /// <summary>Streamiz's TransformerBuilder makes an unused prototype with <c>new()</c>; each task gets
    /// an instance built with the parameters given to the builder.</summary>
    public ReputationTransformer() : this(new ReputationEngineSettings { Topics = new Topics(new Configuration.KafkaOptions()) }) { }

    public ReputationTransformer(ReputationEngineSettings settings)
    {
        this.settings = settings;
        _counters = new WindowedCounters(settings.Window);
        _rules = new RateRules(settings.Thresholds);
        _retentionMs = (long)settings.Join.Retention.TotalMilliseconds;
    }

    private readonly WindowedCounters _counters;
    private readonly RateRules _rules;
    private readonly Dictionary<string, AccountAggregate> _accounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _pending = new();
    private readonly Queue<(long LastEventMs, string MessageId)> _retention = new();
    private readonly long _retentionMs;
    private MessageJoiner _joiner = null!;
    private ProcessorContext<string, StreamOutput> _context = null!;
    private ReputationStateStore _state = null!;
    private long _streamTimeMs;
    private int _pendingCount;

    public void Init(ProcessorContext<string, StreamOutput> context)
    {
        _context = context;
        _joiner = new MessageJoiner(settings.Providers, settings.Classifier, _counters, settings.Join);
        _state = new ReputationStateStore((IKeyValueStore<string, byte[]>)context.GetStateStore(Topics.StateStore));

        // Rebuild the in-memory indexes from the (restored) store.
        foreach (var kv in _state.AllLedgers())
            {
                _streamTimeMs = Math.Max(_streamTimeMs, kv.Value.LastEventMs);
                _retention.Enqueue((kv.Value.LastEventMs, kv.Key));
                if (kv.Value.HasPending) Track(kv.Value);
            }

        context.Schedule(settings.SnapshotInterval, PunctuationType.PROCESSING_TIME, _ =>
        {
            ExpirePending();
            EmitSnapshots();
        });
    }

    public Record<string, StreamOutput>? Process(Record<byte[], NormalizedEvent> record)
    {
        var e = record.Value;
        if (e?.MessageId is null) return null; // rejected attempts have no message: nothing to join
        try
        {
            _streamTimeMs = Math.Max(_streamTimeMs, e.TimestampMs);
            var ledger = _state.GetLedger(e.MessageId);
            var isNew = ledger is null;
            ledger ??= new MessageLedger { MessageId = e.MessageId, AccountId = e.AccountId };
            var account = Account(e.AccountId);
            var hadPending = ledger.HasPending;

            var outcome = _joiner.Apply(ledger, e, account, _streamTimeMs - _retentionMs, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            MonitorMetrics.JoinOutcomes.WithLabels(outcome.ToString().ToLowerInvariant()).Inc();
            if (!hadPending && ledger.HasPending) Track(ledger);
            if (hadPending && !ledger.HasPending) _pendingCount--;
            if (isNew) _retention.Enqueue((ledger.LastEventMs, ledger.MessageId));

            _state.PutLedger(ledger.MessageId, ledger);
            Changed(account);
            ExpirePending();
            EvictExpiredLedgers();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug must not stop the stream for every account: the record goes to the DLQ with the reason.
            MonitorMetrics.DeadLetters.WithLabels("processing_error", settings.Topics.RepartitionTopic).Inc();
            var headers = DeadLetterHeaders.Create(record.Headers, $"processing_error: {ex.GetType().Name}: {ex.Message}", settings.Topics.RepartitionTopic);
            _context.SetHeaders(headers);
            _context.Forward(e.MessageId, new StreamOutput { DeadLetter = JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.NormalizedEvent) });
        }
        return null;
    }

    public void Close() { }

    private AccountAggregate Account(string accountId)
    {
        if (_accounts.TryGetValue(accountId, out var a)) return a;
        a = _state.GetAccount(accountId) ?? new AccountAggregate { AccountId = accountId };
        _accounts[accountId] = a;
        return a;
    }

    /// <summary>After counters moved: evaluate the rules, publish any decision with a fresh snapshot.</summary>
    private void Changed(AccountAggregate account)
    {
        var window = _counters.Snapshot(account);
        var decision = _rules.Evaluate(account, window);
        _state.PutAccount(account.AccountId, account);
        if (decision is not null)
        {
            MonitorMetrics.Decisions.WithLabels(decision.Scope, decision.Rule, decision.To).Inc();
            _context.Forward($"{decision.Scope}:{decision.Entity}", new StreamOutput { Decision = decision });
            _context.Forward(account.AccountId, new StreamOutput { Snapshot = AccountSnapshot.From(account, window, settings.Thresholds) });
            _dirty.Remove(account.AccountId);
            return;
        }
        _dirty.Add(account.AccountId);
    }

    private void Track(MessageLedger ledger)
    {
        _pending.Enqueue(ledger.MessageId, ledger.PendingSinceMs);
        _pendingCount++;
        MonitorMetrics.PendingMessages.Set(_pendingCount);
    }

    /// <summary>Early events whose attempt never came fall back to their own mail object.</summary>
    private void ExpirePending()
    {
        var wallNow = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        while (_pending.TryPeek(out var messageId, out _))
        {
            var ledger = _state.GetLedger(messageId);
            if (ledger is null || !ledger.HasPending)
            {
                _pending.Dequeue();
                continue;
            }
            var overflow = _pendingCount > settings.Join.MaxPendingMessages;
            if (!overflow && !_joiner.IsPendingExpired(ledger, _streamTimeMs, wallNow)) break;
            _pending.Dequeue();
            _pendingCount--;
            var account = Account(ledger.AccountId);
            _joiner.FallBack(ledger, account);
            MonitorMetrics.JoinOutcomes.WithLabels(overflow ? "fallback_overflow" : "fallback").Inc();
            _state.PutLedger(messageId, ledger);
            Changed(account);
        }
        MonitorMetrics.PendingMessages.Set(_pendingCount);
    }

    private void EvictExpiredLedgers()
    {
        var horizon = _streamTimeMs - _retentionMs;
        while (_retention.TryPeek(out var head) && head.LastEventMs < horizon)
        {
            _retention.Dequeue();
            var ledger = _state.GetLedger(head.MessageId);
            if (ledger is null) continue;
            if (ledger.LastEventMs >= horizon)
            {
                _retention.Enqueue((ledger.LastEventMs, ledger.MessageId));
                continue;
            }
            if (ledger.HasPending)
            {
                // Waited longer than the retention: certainly past its grace, so settle it before forgetting it.
                var account = Account(ledger.AccountId);
                _joiner.FallBack(ledger, account);
                _pendingCount--;
                Changed(account);
            }
            _state.DeleteLedger(head.MessageId);
        }
    }

    private void EmitSnapshots()
    {
        if (_dirty.Count == 0) return;
        foreach (var id in _dirty)
        {
            var account = Account(id);
            _context.Forward(id, new StreamOutput { Snapshot = AccountSnapshot.From(account, _counters.Snapshot(account), settings.Thresholds) });
        }
        _dirty.Clear();
    }
}
