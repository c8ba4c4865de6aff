using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// The stateful heart of the stream, one instance per account partition, with no Kafka in it (the Streamiz transformer and
/// the partition processor both host it). It orchestrates; the work is its parts':
/// <list type="bullet">
/// <item>a record: joined into its message's ledger (<see cref="MessageJoiner"/>, the waiting and retention clocks in
/// <see cref="PendingJoins"/>), its counter moves attributed to the account and its dimensions (<see cref="PartitionEntities"/>),
/// the SES rate rules applied at once (<see cref="StatusMachine"/>, published by <see cref="StatusPublisher"/>); or an operator
/// command (<see cref="OperatorCommands"/>, suppression lists in <see cref="SuppressionList"/>);</item>
/// <item>the tick (wall clock): rules reloaded (<see cref="RulesInForce"/>), waiting joins expired, review deadlines
/// (<see cref="ReviewDeadlines"/>), statistics and the rule registry (<see cref="StatisticsTick"/>).</item>
/// </list>
/// Each call returns its outputs (<see cref="OutputBuffer"/>). Everything lives in the partition's changelogged entries
/// (<see cref="ReputationStateStore"/>), so a restarted or moved partition resumes where it stopped; the host calls
/// <see cref="FlushState"/> before it commits the input offsets.
/// </summary>
public sealed class ReputationEngine
{
    private readonly ReputationEngineSettings _settings;
    private readonly WindowedCounters _counters;
    private readonly MessageJoiner _joiner;
    private readonly ReputationStateStore _state;
    private readonly OutputBuffer _outputs;
    private readonly RulesInForce _rules;
    private readonly PartitionEntities _entities;
    private readonly StatusPublisher _statuses;
    private readonly PendingJoins _pending;
    private readonly OperatorCommands _commands;
    private readonly ReviewDeadlines _deadlines;
    private readonly StatisticsTick _statistics;
    private readonly Action<MessageLedger> _settle; // one delegate, not one per record

    /// <summary>Rebuilds the in-memory indexes from the (restored) entries.</summary>
    /// <param name="ledgersWriteThrough">Encode a ledger into the entries at each put instead of once per commit (for hosts
    /// whose entries are cheap to write and log once per commit themselves).</param>
    public ReputationEngine(ReputationEngineSettings settings, IStateEntries entries, bool ledgersWriteThrough = false)
    {
        _settings = settings;
        _counters = new WindowedCounters(settings.Window, settings.History);
        _joiner = new MessageJoiner(settings.Providers, settings.Classifier, settings.Join);
        var retentionMs = (long)settings.Join.Retention.TotalMilliseconds;
        // A dimension set is stored again when its last use moved by a minute (or a quarter of a short retention).
        _state = new ReputationStateStore(entries, ledgersWriteThrough, Math.Clamp(retentionMs / 4, 1, 60_000));
        _outputs = new OutputBuffer(settings);
        _rules = new RulesInForce(settings);
        _rules.Refresh();
        SuppressionList suppressions = null!;
        _entities = new PartitionEntities(_counters, _state, _rules, () => suppressions);
        suppressions = new SuppressionList(_state, _outputs);
        _statuses = new StatusPublisher(settings, _entities, _state, _rules, _outputs);
        _pending = new PendingJoins(settings, _state, _joiner);
        _commands = new OperatorCommands(settings, _entities, _rules, _statuses, suppressions, _outputs);
        _deadlines = new ReviewDeadlines(settings, _entities, _state, _rules, _statuses, _outputs);
        _statistics = new StatisticsTick(settings, _counters, _entities, _state, _rules, _statuses, _outputs);
        _settle = Settle;

        // In retention order, so that eviction after a restart does not wait behind the newest ledger.
        foreach (var (hash, ledger) in _state.AllLedgers().OrderBy(l => l.Ledger.LastEventMs))
        {
            _state.StreamTimeMs = Math.Max(_state.StreamTimeMs, ledger.LastEventMs);
            _pending.Restored(hash, ledger);
        }
        foreach (var account in _state.AllAccounts())
            if (account.State.Status == EntityStatus.UnderReview) _statuses.AccountsUnderReview.Add(account.AccountId);
        foreach (var (key, dim) in _state.AllDimensions())
            if (dim.State?.Status == EntityStatus.UnderReview) _statuses.DimensionsUnderReview.Add(key);
    }

    /// <summary>Writes every changed ledger and aggregate into the entries (once per commit, not per record).</summary>
    public void FlushState() => _state.Flush();

    /// <summary>One record: its decisions, statistics, suppression changes or dead letter are returned, not pushed, so that the
    /// host keeps no per-record state to route them (it has the record at hand).</summary>
    /// <returns>The record's outputs, valid until the engine's next call.</returns>
    public IReadOnlyList<EngineOutput> Process(StreamInput input)
    {
        var e = input.Event;
        _outputs.Begin(e?.MessageId, e?.TimestampMs);
        _settings.CountRecord();
        _rules.Refresh();
        try
        {
            if (input.Command is { } command) _commands.Apply(command);
            else if (e is not null) Event(e);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever the record — event, refused attempt or command — a failure on it must not stop the stream for
            // every account: it goes to the DLQ with the reason, and its offset is committed like any other.
            var (key, value) = input.Command is { } c
                ? (c.Entity ?? "", JsonSerializer.SerializeToUtf8Bytes(c, CoreJsonContext.Default.OperatorCommand))
                : (e?.MessageId ?? e?.AccountId ?? "", e is null ? [] : JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.NormalizedEvent));
            _outputs.Isolate(ex, key, value, $"account {e?.AccountId ?? input.Command?.Entity} message {e?.MessageId ?? "-"}");
        }
        finally
        {
            _outputs.End();
        }
        return _outputs.Outputs;
    }

    /// <summary>
    /// The periodic work (wall clock): rules reload, pending joins expire, reviews heal or escalate, then statistics and the
    /// rule registry for every entity that changed — in slices of <see cref="TickSlice"/> entities: while
    /// <see cref="TickInProgress"/>, the host calls again at once (no record in between), so that each slice's outputs are
    /// sent before the next is made.
    /// </summary>
    /// <returns>The outputs of this call, valid until the engine's next call.</returns>
    public IReadOnlyList<EngineOutput> Tick()
    {
        _outputs.Begin();
        // Each step on its own: one that fails (a bug, on one entity's state) is logged and counted, and the others — and
        // the next tick — still run; the stream goes on.
        if (!TickInProgress)
        {
            Step(TickSteps[0], _rules.Refresh);
            Step(TickSteps[1], () => _pending.Expire(Now, _settle));
            Step(TickSteps[2], _deadlines.Run);
        }
        var finished = true;
        Step(TickSteps[3], () => finished = _statistics.RunSlice(TickSlice));
        TickInProgress = !finished;
        if (finished) Step(TickSteps[4], () => _state.EvictDimensionSets(_state.StreamTimeMs - _pending.RetentionMs));
        _outputs.End();
        return _outputs.Outputs;
    }

    /// <summary>Accounts and dimensions per call of a tick.</summary>
    public const int TickSlice = 512;

    /// <summary>The tick's statistics pass is under way: call <see cref="Tick"/> again before the next record.</summary>
    public bool TickInProgress { get; private set; }

    /// <summary>The tick's steps, in order, as <c>reputation_tick_errors_total{step}</c> names them.</summary>
    public static IReadOnlyList<string> TickSteps { get; } = ["rules reload", "pending joins", "review deadlines", "statistics", "dimension sets"];

    /// <summary>The partition is no longer this instance's (or the host stops).</summary>
    public void Close() => _pending.Close();

    private void Step(string name, Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EngineMetrics.TickErrors.WithLabels(name).Inc();
            _settings.Logger.LogError(ex, "The periodic step '{Step}' failed; the others go on", name);
        }
    }

    private long Now => _settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Event(NormalizedEvent e)
    {
        // The door refuses these already (original bytes intact); a record reaching the engine another way — written to
        // the by-account topic directly — must not move stream time past the wall clock either.
        var wallNow = Now;
        if (EventTime.FutureViolation(e, wallNow, _settings.MaxFutureSkewMs) is { } future)
        {
            EngineMetrics.DeadLetters.WithLabels(DlqReasons.TimestampInFuture, _settings.Topics.RepartitionTopic).Inc();
            _outputs.Reject(e.MessageId ?? e.AccountId, JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.NormalizedEvent), future);
            return;
        }
        if (e is { Kind: EventKind.Attempt, Accepted: false })
        {
            // Refused requests have no message to join; they count for the prevention rules.
            var refused = _entities.Account(e.AccountId);
            _counters.Tally(refused.Windows, PreventionRules.FailedTallyPrefix + (e.ErrorCode ?? "Unknown"), e.TimestampMs);
            _entities.Store(refused);
            return;
        }
        if (e.MessageId is null) return;
        _state.StreamTimeMs = Math.Max(_state.StreamTimeMs, e.TimestampMs);
        var hash = ReputationStateStore.LedgerHash(e.MessageId);
        var ledger = _state.GetLedger(hash, e.MessageId);
        var isNew = ledger is null;
        ledger ??= new MessageLedger { MessageId = e.MessageId, AccountId = e.AccountId };
        var hadPending = ledger.HasPending;
        var firstAttempt = e.Kind == EventKind.Attempt && !ledger.AttemptSeen;

        var attribution = _entities.Attribution(e.AccountId);
        var outcome = _joiner.Apply(ledger, e, attribution, _state.StreamTimeMs - _pending.RetentionMs, wallNow);
        EngineMetrics.CountJoin(outcome);
        if (firstAttempt) CountAttempt(e, ledger, attribution.Account);
        _pending.Joined(hash, ledger, isNew, hadPending);
        _state.PutLedger(hash, ledger);
        if (outcome == JoinOutcome.Applied) Changed(attribution);
        _pending.Expire(wallNow, _settle);
        _pending.Evict(_settle);
    }

    /// <summary>The tallies the prevention and bulk-sender rules read: accepted requests, those of a paused account, and how
    /// much of a domain's mail lacks one-click unsubscribe.</summary>
    private void CountAttempt(NormalizedEvent e, MessageLedger ledger, AccountAggregate sender)
    {
        _counters.Tally(sender.Windows, PreventionRules.AcceptedTally, e.TimestampMs);
        if (sender.Status == EntityStatus.Paused) _counters.Tally(sender.Windows, PreventionRules.PausedTally, e.TimestampMs);
        if (ledger.FromDomain is { } domain && _entities.TryGetDimension(new DimensionKey(e.AccountId, Dimensions.Domain, domain), out var dw))
        {
            _counters.Tally(dw, BulkSenderRules.AttemptTally, e.TimestampMs);
            if (!e.HasOneClickUnsubscribe) _counters.Tally(dw, BulkSenderRules.NoOneClickTally, e.TimestampMs);
        }
        // The pool an IP sends for picks its warm-up schedule.
        if (ledger is { SendingIp: { } ip, SendingPool: { } pool } && _entities.TryGetDimension(new DimensionKey(e.AccountId, Dimensions.Ip, ip), out var iw))
            _counters.Tally(iw, WarmupRules.PoolTallyPrefix + pool, e.TimestampMs);
        _entities.DirtyAccounts.Add(sender.AccountId);
    }

    /// <summary>A message whose events waited for an attempt that never came: counted on its own mail object.</summary>
    private void Settle(MessageLedger ledger)
    {
        var attribution = _entities.Attribution(ledger.AccountId);
        _joiner.FallBack(ledger, attribution);
        Changed(attribution);
    }

    /// <summary>After counters moved: store what changed, apply the rate rules, publish any decision at once.</summary>
    private void Changed(AccountAttribution attribution)
    {
        var account = attribution.Account;
        var machine = _rules.Machine;
        foreach (var slot in attribution.Touched)
        {
            if (slot.Evicted) continue; // dropped by the bound while this record counted
            var dim = slot.Windows;
            if (slot.StatusScope is { } scope && machine.Escalates(dim.State ??= new EntityState(), _entities.Totals(slot.Id, dim)))
            {
                var w = _entities.Window(slot.Id, dim);
                _statuses.Publish(slot.Id, dim, machine.OnRates(scope, slot.Id.Entity, dim.State, w, account.Samples, Now));
            }
            _entities.Store(slot.Id, dim);
        }
        attribution.ClearTouched();

        if (!machine.Escalates(account.State, _entities.Totals(account)))
        {
            _entities.Store(account);
            return;
        }
        var window = _entities.Window(account);
        _statuses.Publish(account, window, machine.OnRates(StatusPublisher.AccountScope, account.AccountId, account.State, window, account.Samples, Now));
    }
}
