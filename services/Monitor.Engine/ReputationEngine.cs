using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Engine;

/// <summary>
/// The stateful heart of the stream, one instance per account partition, with no Kafka in it (the Streamiz
/// transformer and the partition processor both host it): joins each message's
/// attempt and events in its ledger, attributes counter moves to the account and its dimensions
/// (configuration set, tenant, domain, pool, IP — each split by provider), evaluates the rate rules, and
/// emits decisions at once and changed statistics every <see cref="Tick"/>. Everything lives in the partition's
/// changelogged entries, so a restarted or moved partition resumes where it stopped; the host calls
/// <see cref="FlushState"/> before it commits the input offsets.
/// </summary>
public sealed class ReputationEngine
{
    private readonly ReputationEngineSettings _settings;
    private readonly WindowedCounters _counters;
    private StatusMachine _machine = null!;
    private int _rulesVersion = -1;
    private IReadOnlyList<IReputationRule> _registry = null!;
    private RuleSet _rules = null!;
    private readonly HashSet<string> _underReview = new(StringComparer.Ordinal);
    private readonly HashSet<DimensionKey> _dimensionsUnderReview = [];
    private readonly long _retentionMs;
    private readonly MessageJoiner _joiner;
    private readonly Dictionary<string, AccountAggregate> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountAttribution> _attributions = new(StringComparer.Ordinal);
    private readonly Dictionary<DimensionKey, EntityWindows> _dimensions = [];
    private readonly HashSet<string> _dirtyAccounts = new(StringComparer.Ordinal);
    private readonly HashSet<DimensionKey> _dirtyDimensions = [];
    /// <summary>Messages whose events wait for their attempt, by when they started waiting (event time), with the wall
    /// time too: whether the head has waited out the grace is known without reading its ledger, which would otherwise be
    /// decoded on every record while the head waits.</summary>
    private readonly PriorityQueue<(string MessageId, long SinceWallMs), long> _pending = new();
    private readonly long _graceMs;
    private readonly RetentionQueue _retention = new();
    /// <summary>What the call being served produced; the host routes it by <see cref="OutputTable"/> before its next call.</summary>
    private readonly List<EngineOutput> _outputs = [];
    private readonly ReputationStateStore _state;
    private long _streamTimeMs;
    private string? _causeMessageId;
    private long? _causeEventMs; // the event time of the record being processed, for the decision latency
    private int _pendingCount;
    private int _reportedPending; // this engine's share of the process-wide gauge

    /// <summary>Rebuilds the in-memory indexes from the (restored) entries.</summary>
    /// <param name="ledgersWriteThrough">Encode a ledger into the entries at each put instead of once per commit (for hosts
    /// whose entries are cheap to write and log once per commit themselves).</param>
    public ReputationEngine(ReputationEngineSettings settings, IStateEntries entries, bool ledgersWriteThrough = false)
    {
        _settings = settings;
        _counters = new WindowedCounters(settings.Window);
        RefreshRules();
        _retentionMs = (long)settings.Join.Retention.TotalMilliseconds;
        _graceMs = (long)settings.Join.Grace.TotalMilliseconds;
        _joiner = new MessageJoiner(settings.Providers, settings.Classifier, settings.Join);
        // A dimension set is stored again when its last use moved by a minute (or a quarter of a short retention).
        _state = new ReputationStateStore(entries, ledgersWriteThrough, Math.Clamp(_retentionMs / 4, 1, 60_000));

        // In retention order, so that eviction after a restart does not wait behind the newest ledger.
        foreach (var (hash, ledger) in _state.AllLedgers().OrderBy(l => l.Ledger.LastEventMs))
        {
            _streamTimeMs = Math.Max(_streamTimeMs, ledger.LastEventMs);
            _retention.Enqueue(ledger.LastEventMs, hash);
            if (ledger.HasPending) Track(ledger);
        }
        _state.StreamTimeMs = _streamTimeMs;
        foreach (var account in _state.AllAccounts())
            if (account.State.Status == EntityStatus.UnderReview) _underReview.Add(account.AccountId);
        foreach (var (key, dim) in _state.AllDimensions())
            if (dim.State?.Status == EntityStatus.UnderReview) _dimensionsUnderReview.Add(key);
    }

    /// <summary>Writes every changed ledger and aggregate into the entries (once per commit, not per record).</summary>
    public void FlushState() => _state.Flush();

    /// <summary>The periodic work (wall clock): rules reload, pending joins expire, reviews heal or escalate, statistics.</summary>
    /// <returns>The outputs of this tick, valid until the engine's next call.</returns>
    public IReadOnlyList<EngineOutput> Tick()
    {
        _outputs.Clear();
        // Each step on its own: one that fails (a bug, on one entity's state) is logged and counted, and the others — and
        // the next tick — still run; the stream goes on.
        Step("rules reload", RefreshRules);
        Step("pending joins", () => ExpirePending(Now));
        Step("review deadlines", ReviewDeadlines);
        Step("statistics", EmitSnapshots);
        Step("dimension sets", () => _state.EvictDimensionSets(_streamTimeMs - _retentionMs));
        return _outputs;
    }

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

    /// <summary>
    /// One entity's share of a periodic step: if it fails, that entity is sent to the DLQ (key, reason) and dropped from the
    /// step's work list, so a bad entity neither stops the others nor fails again on every tick.
    /// </summary>
    private void ForEachIsolated<TKey>(IEnumerable<TKey> keys, Action<TKey> work, Action<TKey> drop) where TKey : notnull
    {
        foreach (var key in keys.ToList())
        {
            try
            {
                work(key);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                drop(key);
                var text = key.ToString()!;
                Isolate(ex, text, System.Text.Encoding.UTF8.GetBytes(text), $"the periodic work of {text}");
            }
        }
    }

    /// <summary>Picks up reloaded rules (a version check per record: a field read).</summary>
    private void RefreshRules()
    {
        var rules = _settings.Rules.Current;
        if (rules.Version == _rulesVersion) return;
        _rules = rules;
        _rulesVersion = rules.Version;
        _machine = new StatusMachine(new RateRules(rules.Thresholds), rules.ReviewPeriod);
        _registry = RuleRegistry.Build(rules, _settings.Classifier);
    }

    /// <summary>One record: its decisions, statistics, suppression changes or dead letter are returned, not pushed, so that the
    /// host keeps no per-record state to route them (it has the record at hand).</summary>
    /// <returns>The record's outputs, valid until the engine's next call.</returns>
    public IReadOnlyList<EngineOutput> Process(StreamInput input)
    {
        _outputs.Clear();
        _settings.CountRecord();
        RefreshRules();
        var e = input.Event;
        _causeEventMs = e?.TimestampMs;
        _causeMessageId = e?.MessageId;
        try
        {
            if (input.Command is { } command) Command(command);
            else if (e is not null) Event(e);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever the record — event, refused attempt or command — a failure on it must not stop the stream for
            // every account: it goes to the DLQ with the reason, and its offset is committed like any other.
            var (key, value) = input.Command is { } c
                ? (c.Entity ?? "", JsonSerializer.SerializeToUtf8Bytes(c, CoreJsonContext.Default.OperatorCommand))
                : (e?.MessageId ?? e?.AccountId ?? "", e is null ? [] : JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.NormalizedEvent));
            Isolate(ex, key, value, $"account {e?.AccountId ?? input.Command?.Entity} message {e?.MessageId ?? "-"}");
        }
        finally
        {
            _causeEventMs = null;
            _causeMessageId = null;
        }
        return _outputs;
    }

    private void Emit(string key, StreamOutput output) => _outputs.Add(new(key, output));

    private void Reject(string key, byte[] value, string reason) =>
        _outputs.Add(new(key, new StreamOutput { DeadLetter = value, DeadLetterReason = reason }));

    /// <summary>Sends a record the engine failed on to the DLQ, counted and logged.</summary>
    private void Isolate(Exception ex, string key, byte[] value, string what)
    {
        EngineMetrics.DeadLetters.WithLabels(DlqReasons.ProcessingError, _settings.Topics.RepartitionTopic).Inc();
        _settings.Logger.LogError(ex, "Could not process {What}; sent to the DLQ", what);
        Reject(key, value, $"{DlqReasons.ProcessingError}: {ex.GetType().Name}: {ex.Message}");
    }

    private void Event(NormalizedEvent e)
    {
        // The door refuses these already (original bytes intact); a record reaching the engine another way — written to
        // the by-account topic directly — must not move stream time past the wall clock either.
        var wallNow = Now;
        if (EventTime.FutureViolation(e, wallNow, _settings.MaxFutureSkewMs) is { } future)
        {
            EngineMetrics.DeadLetters.WithLabels(DlqReasons.TimestampInFuture, _settings.Topics.RepartitionTopic).Inc();
            Reject(e.MessageId ?? e.AccountId, JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.NormalizedEvent), future);
            return;
        }
        if (e is { Kind: EventKind.Attempt, Accepted: false })
        {
            // Refused requests have no message to join; they count for the prevention rules.
            var refused = Attribution(e.AccountId).Account;
            _counters.Tally(refused.Windows, PreventionRules.FailedTallyPrefix + (e.ErrorCode ?? "Unknown"), e.TimestampMs);
            _state.PutAccount(refused.AccountId, refused);
            _dirtyAccounts.Add(refused.AccountId);
            return;
        }
        if (e.MessageId is null) return;
        _streamTimeMs = Math.Max(_streamTimeMs, e.TimestampMs);
        _state.StreamTimeMs = _streamTimeMs;
        var hash = ReputationStateStore.LedgerHash(e.MessageId);
        var ledger = _state.GetLedger(hash, e.MessageId);
        var isNew = ledger is null;
        ledger ??= new MessageLedger { MessageId = e.MessageId, AccountId = e.AccountId };
        var hadPending = ledger.HasPending;
        var firstAttempt = e.Kind == EventKind.Attempt && !ledger.AttemptSeen;

        var outcome = _joiner.Apply(ledger, e, Attribution(e.AccountId), _streamTimeMs - _retentionMs, wallNow);
        EngineMetrics.CountJoin(outcome);
        if (firstAttempt)
        {
            var sender = _accounts[e.AccountId];
            _counters.Tally(sender.Windows, PreventionRules.AcceptedTally, e.TimestampMs);
            if (sender.Status == EntityStatus.Paused) _counters.Tally(sender.Windows, PreventionRules.PausedTally, e.TimestampMs);
            if (ledger.FromDomain is { } domain && _dimensions.TryGetValue(new DimensionKey(e.AccountId, Dimensions.Domain, domain), out var dw))
            {
                // For the bulk-sender rules: how much of the domain's mail lacks one-click unsubscribe.
                _counters.Tally(dw, BulkSenderRules.AttemptTally, e.TimestampMs);
                if (!e.HasOneClickUnsubscribe) _counters.Tally(dw, BulkSenderRules.NoOneClickTally, e.TimestampMs);
            }
            _dirtyAccounts.Add(sender.AccountId);
        }
        if (!hadPending && ledger.HasPending) Track(ledger);
        if (hadPending && !ledger.HasPending) _pendingCount--;
        if (isNew) _retention.Enqueue(ledger.LastEventMs, hash);

        _state.PutLedger(hash, ledger);
        if (outcome == JoinOutcome.Applied) Changed(_accounts[e.AccountId]);
        ExpirePending(wallNow);
        EvictExpiredLedgers();
    }

    /// <summary>A transition in the log, scoped by the account (and the message that caused it, if one did).</summary>
    private void LogTransition(Decision decision, string accountId)
    {
        if (decision.Kind != Decision.TransitionKind || !_settings.Logger.IsEnabled(LogLevel.Information)) return;
        // A message-template scope: structured in the JSON logs, readable in the text ones.
        using (_settings.Logger.BeginScope("account {AccountId} decision {DecisionId} message {MessageId}", accountId, decision.DecisionId,
                   _causeMessageId ?? "-"))
            _settings.Logger.LogInformation("{Scope} {Entity}: {From} -> {To} by {Rule}", decision.Scope, decision.Entity, decision.From, decision.To, decision.Rule);
    }

    /// <summary>Event time → decision, for decisions a record caused (not those of timers or operators).</summary>
    private void ObserveLatency(string scope)
    {
        if (_causeEventMs is { } at)
            EngineMetrics.DecisionLatency.WithLabels(scope).Observe(Math.Max(0, _settings.Clock.GetUtcNow().ToUnixTimeMilliseconds() - at) / 1000.0);
    }

    private AccountAttribution Attribution(string accountId)
    {
        if (_attributions.TryGetValue(accountId, out var a)) return a;
        var account = _state.GetAccount(accountId) ?? new AccountAggregate { AccountId = accountId };
        _accounts[accountId] = account;
        a = new AccountAttribution(_counters, account,
            Dimension,
            key =>
            {
                _dimensions.Remove(key);
                _dirtyDimensions.Remove(key);
                _state.DeleteDimension(key);
            },
            email => _state.HasSuppression(accountId, email),
            (message, email, reason, at) => Suppress(accountId, email, reason, at, message.MessageId, "rule", null),
            EngineMetrics.CountRecipients,
            () => EngineMetrics.LateEvents.Inc());
        _attributions[accountId] = a;
        return a;
    }

    private EntityWindows Dimension(DimensionKey key)
    {
        if (_dimensions.TryGetValue(key, out var w)) return w;
        w = _state.GetDimension(key) ?? new EntityWindows();
        _dimensions[key] = w;
        return w;
    }

    /// <summary>After counters moved: store what changed, evaluate the rules, publish any decision at once.</summary>
    private void Changed(AccountAggregate account)
    {
        var attribution = _attributions[account.AccountId];
        foreach (var slot in attribution.Touched)
        {
            if (slot.Evicted) continue; // dropped by the bound while this record counted
            var dim = slot.Windows;
            if (slot.StatusScope is { } scope
                && _machine.Escalates(dim.State ??= new EntityState(), _counters.LongTotals(dim, dim.State.EvaluateFromMs)))
            {
                var w = _counters.Snapshot(dim, WindowKind.Long, dim.State.EvaluateFromMs);
                PublishDimension(slot.Id, dim, _machine.OnRates(scope, slot.Id.Entity, dim.State, w, account.Samples, Now));
            }
            _state.PutDimension(slot.Id, dim);
            _dirtyDimensions.Add(slot.Id);
        }
        attribution.ClearTouched();

        if (!_machine.Escalates(account.State, _counters.LongTotals(account.Windows, account.State.EvaluateFromMs)))
        {
            Store(account);
            return;
        }
        var window = Window(account);
        Publish(account, window, _machine.OnRates(Scope, account.AccountId, account.State, window, account.Samples, Now));
    }

    /// <summary>A configuration set's or tenant's own transition (its windows are stored by the caller).</summary>
    private void PublishDimension(DimensionKey key, EntityWindows dim, Decision? decision)
    {
        if (decision is null) return;
        if (dim.State!.Status == EntityStatus.UnderReview) _dimensionsUnderReview.Add(key);
        else _dimensionsUnderReview.Remove(key);
        EngineMetrics.Decisions.WithLabels(decision.Scope, decision.Rule, decision.To).Inc();
        ObserveLatency(decision.Scope);
        LogTransition(decision, key.AccountId);
        Emit($"{decision.Scope}:{decision.Entity}", new StreamOutput { Decision = decision });
    }

    /// <summary>Adds an address to the account's suppression list (once) and publishes the change.</summary>
    private void Suppress(string accountId, string email, string reason, long atMs, string? messageId, string actor, string? note)
    {
        if (_state.HasSuppression(accountId, email)) return;
        var entry = new SuppressionChange
        {
            AccountId = accountId, Email = email, Action = SuppressionChange.Added, Reason = reason,
            At = DateTimeOffset.FromUnixTimeMilliseconds(atMs), MessageId = messageId, Actor = actor, Note = note,
        };
        _state.PutSuppression(entry);
        EngineMetrics.SuppressionChanges.WithLabels(SuppressionChange.Added, reason).Inc();
        Emit(SuppressionKey(accountId, email), new StreamOutput { Suppression = entry });
    }

    private void Unsuppress(OperatorCommand command)
    {
        var email = EmailAddress.Normalize(command.Email!);
        if (!_state.HasSuppression(command.Entity, email)) return;
        _state.DeleteSuppression(command.Entity, email);
        EngineMetrics.SuppressionChanges.WithLabels(SuppressionChange.Removed, SuppressionChange.Manual).Inc();
        Emit(SuppressionKey(command.Entity, email), new StreamOutput
        {
            Suppression = new SuppressionChange
            {
                AccountId = command.Entity, Email = email, Action = SuppressionChange.Removed, Reason = SuppressionChange.Manual,
                At = command.At, Actor = command.Actor, Note = command.Reason,
            },
        });
    }

    /// <summary>An operator's pause, resume, resolve, extend, suppress or unsuppress, applied by the task that owns the account.</summary>
    private void Command(OperatorCommand command)
    {
        if (CommandGate.Refusal(command, _settings) is { } refusal)
        {
            EngineMetrics.CommandsRefused.WithLabels(refusal.Code).Inc();
            EngineMetrics.DeadLetters.WithLabels(refusal.Code, _settings.Topics.RepartitionTopic).Inc();
            Reject(command.Entity ?? "", JsonSerializer.SerializeToUtf8Bytes(command, CoreJsonContext.Default.OperatorCommand),
                $"{refusal.Code}: {refusal.Detail}");
            return;
        }
        if (command.Type == OperatorCommand.Suppress)
        {
            var reason = command.SuppressionReason ?? SuppressionChange.Manual;
            foreach (var email in (command.Emails ?? []).Append(command.Email).OfType<string>())
                Suppress(command.Entity, EmailAddress.Normalize(email), reason, command.At.ToUnixTimeMilliseconds(), null, command.Actor, command.Reason);
            return;
        }
        if (command.Type == OperatorCommand.Unsuppress && command.Email is not null)
        {
            Unsuppress(command);
            return;
        }
        var account = Attribution(command.Entity).Account;
        var window = Window(account);
        var decision = _machine.OnCommand(Scope, account.AccountId, account.State, window, account.Samples, command, Now);
        if (decision is null)
        {
            EngineMetrics.Commands.WithLabels(command.Type, "no_change").Inc();
            _state.PutAccount(account.AccountId, account); // the command id is remembered all the same
            return;
        }
        EngineMetrics.Commands.WithLabels(command.Type, "applied").Inc();
        Publish(account, window, decision);
    }

    /// <summary>Reviews whose deadline has passed heal or escalate (wall clock).</summary>
    private void ReviewDeadlines()
    {
        ForEachIsolated(_dimensionsUnderReview, key =>
        {
            var dim = Dimension(key);
            var w = _counters.Snapshot(dim, WindowKind.Long, dim.State!.EvaluateFromMs);
            var decision = _machine.OnTick(key.StatusScope!, key.Entity, dim.State, w, [], Now);
            if (decision is null) return;
            _state.PutDimension(key, dim);
            PublishDimension(key, dim, decision);
        }, key => _dimensionsUnderReview.Remove(key));
        ForEachIsolated(_underReview, id =>
        {
            var account = Attribution(id).Account;
            var window = Window(account);
            if (_machine.OnTick(Scope, id, account.State, window, account.Samples, Now) is { } decision)
                Publish(account, window, decision);
        }, id => _underReview.Remove(id));
    }

    private void Store(AccountAggregate account)
    {
        _state.PutAccount(account.AccountId, account);
        _dirtyAccounts.Add(account.AccountId);
    }

    private void Publish(AccountAggregate account, WindowSnapshot window, Decision? decision)
    {
        Store(account);
        if (decision is null) return;
        if (account.State.Status == EntityStatus.UnderReview) _underReview.Add(account.AccountId);
        else _underReview.Remove(account.AccountId);
        EngineMetrics.Decisions.WithLabels(decision.Scope, decision.Rule, decision.To).Inc();
        ObserveLatency(decision.Scope);
        LogTransition(decision, account.AccountId);
        Emit($"{decision.Scope}:{decision.Entity}", new StreamOutput { Decision = decision });
        Emit(account.AccountId, new StreamOutput { Snapshot = AccountSnapshot.From(account, window, _rules.Thresholds, _streamTimeMs) });
    }

    private const string Scope = "account";

    /// <summary>The key of an account's suppression change on reputation.suppressions.</summary>
    private static string SuppressionKey(string accountId, string email) => $"{accountId}/{email}";

    /// <summary>
    /// Every registered rule that applies to the entity, in the registry's order: findings are published; a status change
    /// a rule asks for goes through the status machine (for entities that have a status), then <paramref name="transition"/>.
    /// </summary>
    /// <returns>Whether the entity's stored state changed (findings raised are remembered in its windows).</returns>
    private bool EvaluateRules(EntityView entity, Action<Decision> transition)
    {
        var changed = false;
        foreach (var rule in _registry)
        {
            if (!rule.AppliesTo(entity.Kind)) continue;
            var result = rule.Evaluate(entity);
            changed |= Publish(result.Findings);
            if (result.Request is not { } request || entity.State is not { } state) continue;
            var decision = request switch
            {
                RuleFired fired => _machine.OnRule(entity.Scope, entity.Entity, state, fired.Window, entity.Samples, fired.Rule, Now),
                CompromiseSuspected suspected => _machine.OnCompromise(entity.Scope, entity.Entity, state, entity.Evaluated, entity.Samples,
                    suspected.Signal, Now),
                _ => throw new InvalidOperationException($"rule {rule.Name} asked for {request.GetType().Name}, which no status machine knows"),
            };
            if (decision is null) continue;
            transition(decision);
            changed = true;
        }
        return changed;
    }

    private bool Publish(IReadOnlyList<Decision> findings)
    {
        foreach (var f in findings)
        {
            EngineMetrics.Findings.WithLabels(f.Pillar, f.Rule.Split(':')[0], f.Provider ?? "none").Inc();
            Emit($"{f.Scope}:{f.Entity}", new StreamOutput { Decision = f });
        }
        return findings.Count > 0;
    }

    private long Now => _settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private WindowSnapshot Window(AccountAggregate account) =>
        _counters.Snapshot(account.Windows, WindowKind.Long, account.State.EvaluateFromMs);

    private void Track(MessageLedger ledger)
    {
        _pending.Enqueue((ledger.MessageId, ledger.PendingSinceWallMs), ledger.PendingSinceMs);
        _pendingCount++;
        ReportPending();
    }

    /// <summary>
    /// The gauge is the process's total over its partitions, so each engine adds what changed since it last reported
    /// (a <c>Set</c> per engine made it show whichever partition wrote last).
    /// </summary>
    private void ReportPending()
    {
        var change = _pendingCount - _reportedPending;
        if (change == 0) return;
        if (change > 0) EngineMetrics.PendingMessages.Inc(change);
        else EngineMetrics.PendingMessages.Dec(-change);
        _reportedPending = _pendingCount;
    }

    /// <summary>The partition is no longer this instance's (or the host stops): its share leaves the gauge.</summary>
    public void Close()
    {
        EngineMetrics.PendingMessages.Dec(_reportedPending);
        _reportedPending = 0;
    }

    /// <summary>Early events whose attempt never came fall back to their own mail object.</summary>
    private void ExpirePending(long wallNow)
    {
        while (_pending.TryPeek(out var head, out var sinceMs))
        {
            var overflow = _pendingCount > _settings.Join.MaxPendingMessages;
            if (!overflow && _streamTimeMs - sinceMs < _graceMs && wallNow - head.SinceWallMs < _graceMs) break;
            var ledger = _state.GetLedger(head.MessageId);
            // Joined since, or waiting again since a later event (that wait has an entry of its own).
            if (ledger is null || !ledger.HasPending || ledger.PendingSinceMs != sinceMs)
            {
                _pending.Dequeue();
                continue;
            }
            if (!overflow && !_joiner.IsPendingExpired(ledger, _streamTimeMs, wallNow)) break;
            _pending.Dequeue();
            SettlePending(ledger);
            EngineMetrics.JoinOutcomes.WithLabels(overflow ? "fallback_overflow" : "fallback").Inc();
            _state.PutLedger(ledger);
        }
        ReportPending();
    }

    private void SettlePending(MessageLedger ledger)
    {
        _pendingCount--;
        _joiner.FallBack(ledger, Attribution(ledger.AccountId));
        Changed(_accounts[ledger.AccountId]);
    }

    private void EvictExpiredLedgers()
    {
        var horizon = _streamTimeMs - _retentionMs;
        while (_retention.TryPeek(out var latestMs, out var hash) && latestMs < horizon)
        {
            _retention.Dequeue();
            var ledger = _state.GetLedger(hash);
            if (ledger is null) continue;
            if (ledger.LastEventMs >= horizon)
            {
                _retention.Enqueue(ledger.LastEventMs, hash);
                continue;
            }
            // Waited longer than the retention: certainly past its grace, so settle it before forgetting it.
            if (ledger.HasPending) SettlePending(ledger);
            _state.DeleteLedger(hash);
        }
    }

    /// <summary>
    /// Statistics, findings and the monitoring rules for every entity that changed since the last tick. Each window is
    /// computed once per entity and shared by everything that reads it, not a snapshot per reader (up to seven per
    /// account): this pass runs over every changed entity, so its cost grows with the number of active accounts.
    /// </summary>
    private void EmitSnapshots()
    {
        ForEachIsolated(_dirtyAccounts, id =>
        {
            var account = _accounts[id];
            var view = new EntityView(_counters, _rules.Findings.FeedbackWindow, Dimensions.Account, Scope, id, account.Windows, account.State,
                () => account.Status, account.Samples)
            {
                Callers = Callers(id, account),
            };
            Emit(id, new StreamOutput { Snapshot = AccountSnapshot.From(account, view.Evaluated, _rules.Thresholds, _streamTimeMs) });
            Emit(new DimensionKey(id, Dimensions.Account, id).ToString(), new StreamOutput
            {
                Entity = EntitySnapshot.From(id, Dimensions.Account, id, account.Windows, view.LastHour, view.All, _streamTimeMs),
            });
            if (EvaluateRules(view, d => Publish(account, Window(account), d))) _state.PutAccount(id, account);
        }, _ => { });
        _dirtyAccounts.Clear();
        ForEachIsolated(_dirtyDimensions, key =>
        {
            var dim = _dimensions[key];
            var owner = _accounts.TryGetValue(key.AccountId, out var a) ? a : null;
            var view = new EntityView(_counters, _rules.Findings.FeedbackWindow, key.Kind, key.StatusScope ?? key.Kind, key.Entity, dim, dim.State,
                () => owner?.Status ?? EntityStatus.Healthy, []);
            Emit(key.ToString(), new StreamOutput
            {
                Entity = EntitySnapshot.From(key.AccountId, key.Kind, key.Value, dim, view.LastHour, view.All, _streamTimeMs),
            });
            if (EvaluateRules(view, d => PublishDimension(key, dim, d))) _state.PutDimension(key, dim);
        }, _ => { });
        _dirtyDimensions.Clear();
    }

    /// <summary>The account's callers (identity@ip): when each was first seen and what it sent in the last hour.</summary>
    private IEnumerable<(string Caller, long FirstSeenMs, long Sent)> Callers(string accountId, AccountAggregate account) =>
        account.Dimensions
            .Where(k => k.StartsWith(Dimensions.Caller + "/", StringComparison.Ordinal))
            .Select(k =>
            {
                var w = Dimension(DimensionKey.Of(accountId, k));
                return (Dimensions.Parse(k).Value, w.FirstSeenMs, _counters.Snapshot(w, WindowKind.Short).Totals.Sent);
            });
}
