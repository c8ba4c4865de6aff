using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// The statistics tick: every account and dimension that changed since the last one has the rule registry evaluated, and its
/// statistics published unless it was published within <see cref="ReputationEngineSettings.EntitySnapshotInterval"/> (then
/// when that ends: <see cref="PublicationSchedule{TKey}"/>). Each window is computed once per entity
/// (<see cref="EntityView"/>) and shared by everything that reads it.
/// </summary>
internal sealed class StatisticsTick(ReputationEngineSettings settings, WindowedCounters counters, PartitionEntities entities,
    ReputationStateStore state, RulesInForce rules, StatusPublisher statuses, OutputBuffer outputs)
{
    /// <summary>The entities of the pass under way (taken from the dirty sets when it starts), and how far it got.</summary>
    private List<string> _accounts = [];
    private List<DimensionKey> _dimensions = [];
    private int _next;
    private bool _running;
    private long _passMs;
    private long _forgottenMs;
    private const long ForgetEveryMs = 60_000;

    /// <summary>Entities in the pass only because a publication deferred earlier fell due: published, not evaluated again.</summary>
    private readonly HashSet<string> _dueAccounts = new(StringComparer.Ordinal);
    private readonly HashSet<DimensionKey> _dueDimensions = [];

    private readonly PublicationSchedule<string> _accountPublications = new((long)settings.EntitySnapshotInterval.TotalMilliseconds);
    private readonly PublicationSchedule<DimensionKey> _dimensionPublications = new((long)settings.EntitySnapshotInterval.TotalMilliseconds);

    /// <summary>Entities whose owed publication is recorded in the state (<see cref="ReputationStateStore.OwedPrefix"/>), by
    /// their key there → the batch recording it: a partition's next owner makes it if this one cannot (a kill, a move before the
    /// interval ends). A batch is removed when every publication in it is made.</summary>
    private readonly Dictionary<string, string> _owedInState = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _owedPerBatch = new(StringComparer.Ordinal);
    /// <summary>Deferred in the slice under way: recorded as one batch when it ends.</summary>
    private readonly HashSet<string> _owedInSlice = new(StringComparer.Ordinal);
    private int _batches;
    private bool _restoredOwed;

    /// <summary>Statistics owed to entities that changed within their interval, published when it ends.</summary>
    public int OwedPublications => _accountPublications.Owed + _dimensionPublications.Owed;

    /// <summary>
    /// The next slice of the pass: at most <paramref name="maxEntities"/> accounts and dimensions. A tick over every active
    /// account publishes tens of thousands of outputs; returned in slices, each is encoded and dropped while young, instead
    /// of all of them living until the end of the tick (and so into the older GC generations).
    /// </summary>
    /// <returns>True when the pass is complete.</returns>
    public bool RunSlice(int maxEntities)
    {
        if (!_running) Begin();
        var recent = rules.Settings.Findings.FeedbackWindow;
        var end = Math.Min(_next + maxEntities, _accounts.Count + _dimensions.Count);
        if (_next < _accounts.Count)
        {
            var from = _next;
            var count = Math.Min(end, _accounts.Count) - from;
            outputs.ForEachIsolated(_accounts.GetRange(from, count), id =>
            {
                var account = entities.Loaded(id)!;
                var view = new EntityView(counters, recent, Dimensions.Account, StatusPublisher.AccountScope, id, account.Windows, account.State,
                    () => account.Status, account.Samples)
                {
                    Callers = Callers(account),
                    Forecaster = rules.Forecaster,
                };
                var before = account.Status;
                if (Publication(_accountPublications, id, AccountKey(id), before)) PublishAccount(id, account, view);
                if (_dueAccounts.Contains(id) || !Evaluate(view, d => statuses.Publish(account, entities.Window(account), d))) return;
                state.PutAccount(id, account);
                if (account.Status != before && Publication(_accountPublications, id, AccountKey(id), account.Status)) PublishAccount(id, account, view);
            }, _ => { });
        }
        if (end > _accounts.Count)
        {
            var from = Math.Max(_next, _accounts.Count) - _accounts.Count;
            var count = end - _accounts.Count - from;
            outputs.ForEachIsolated(_dimensions.GetRange(from, count), key =>
            {
                var dim = entities.Dimension(key);
                var owner = entities.Loaded(key.AccountId);
                var view = new EntityView(counters, recent, key.Kind, key.StatusScope ?? key.Kind, key.Entity, dim, dim.State,
                    () => owner?.Status ?? EntityStatus.Healthy, [])
                {
                    Forecaster = ForecastRules.Kinds.Contains(key.Kind) ? rules.Forecaster : null,
                };
                var before = dim.State?.Status;
                if (Publication(_dimensionPublications, key, DimensionStateKey(key), before)) PublishDimension(key, dim, view);
                if (_dueDimensions.Contains(key) || !Evaluate(view, d => statuses.Publish(key, dim, d))) return;
                state.PutDimension(key, dim);
                if (dim.State?.Status != before && Publication(_dimensionPublications, key, DimensionStateKey(key), dim.State?.Status))
                    PublishDimension(key, dim, view);
            }, _ => { });
        }
        _next = end;
        RecordOwed();
        if (_next < _accounts.Count + _dimensions.Count) return false;
        // What the pass itself marked (a transition stores its account) was published by it.
        entities.DirtyAccounts.Clear();
        entities.DirtyDimensions.Clear();
        _running = false;
        return true;
    }

    /// <summary>The pass's work: what changed since the last one, then what was owed a publication and is due now.</summary>
    private void Begin()
    {
        if (!_restoredOwed) RestoreOwed();
        _passMs = settings.ProcessingClock.GetUtcNow().ToUnixTimeMilliseconds();
        _accounts = [.. entities.DirtyAccounts];
        _dimensions = [.. entities.DirtyDimensions];
        _dueAccounts.Clear();
        _dueDimensions.Clear();
        foreach (var id in _accountPublications.TakeDue(_passMs))
        {
            if (entities.FindAccount(id) is null) Settled(AccountKey(id)); // gone from the state: nothing to publish
            else if (!entities.DirtyAccounts.Contains(id) && _dueAccounts.Add(id)) _accounts.Add(id);
        }
        foreach (var key in _dimensionPublications.TakeDue(_passMs))
        {
            if (entities.FindDimension(key) is null)
            {
                _dimensionPublications.Forget(key); // dropped by the bound on dimensions
                Settled(DimensionStateKey(key));
            }
            else if (!entities.DirtyDimensions.Contains(key) && _dueDimensions.Add(key)) _dimensions.Add(key);
        }
        if (_passMs - _forgottenMs >= ForgetEveryMs)
        {
            _accountPublications.ForgetPast(_passMs);
            _dimensionPublications.ForgetPast(_passMs);
            _forgottenMs = _passMs;
        }
        _next = 0;
        _running = true;
    }

    /// <summary>
    /// <see cref="PublicationSchedule{TKey}.Publish"/>, with what it owes recorded in the state: a deferred publication is
    /// written there (once, in the slice's batch), and its batch removed when every publication in it is made.
    /// </summary>
    private bool Publication<TKey>(PublicationSchedule<TKey> schedule, TKey key, string stateKey, string? status) where TKey : notnull
    {
        if (schedule.Publish(key, _passMs, status))
        {
            Settled(stateKey);
            return true;
        }
        if (!_owedInState.ContainsKey(stateKey)) _owedInSlice.Add(stateKey);
        return false;
    }

    private void Settled(string stateKey)
    {
        if (_owedInSlice.Remove(stateKey) || !_owedInState.Remove(stateKey, out var batch)) return;
        if (--_owedPerBatch[batch] > 0) return;
        _owedPerBatch.Remove(batch);
        state.DeleteOwed(batch);
    }

    /// <summary>The slice's deferrals, as one record.</summary>
    private void RecordOwed()
    {
        if (_owedInSlice.Count == 0) return;
        var batch = ReputationStateStore.OwedBatch(_passMs, _batches++);
        while (_owedPerBatch.ContainsKey(batch)) batch = ReputationStateStore.OwedBatch(_passMs, _batches++); // a restored one
        state.PutOwed(batch, _owedInSlice);
        foreach (var stateKey in _owedInSlice) _owedInState[stateKey] = batch;
        _owedPerBatch[batch] = _owedInSlice.Count;
        _owedInSlice.Clear();
    }

    /// <summary>The publications the partition's previous owner still owed: due at this owner's first pass.</summary>
    private void RestoreOwed()
    {
        _restoredOwed = true;
        foreach (var (batch, stateKeys) in state.AllOwed())
        {
            var owed = 0;
            foreach (var stateKey in stateKeys)
            {
                if (_owedInState.ContainsKey(stateKey)) continue; // in an earlier batch too
                if (stateKey.StartsWith(ReputationStateStore.AccountPrefix, StringComparison.Ordinal))
                    _accountPublications.Owe(stateKey[ReputationStateStore.AccountPrefix.Length..]);
                else if (stateKey.StartsWith(DimensionPrefix, StringComparison.Ordinal) && ParseDimension(stateKey[DimensionPrefix.Length..]) is { } key)
                    _dimensionPublications.Owe(key);
                else continue; // not a key this layout writes
                _owedInState[stateKey] = batch;
                owed++;
            }
            if (owed > 0) _owedPerBatch[batch] = owed;
            else state.DeleteOwed(batch);
        }
    }

    private static DimensionKey? ParseDimension(string text)
    {
        try
        {
            return DimensionKey.Parse(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private const string DimensionPrefix = "d/";
    private static string AccountKey(string id) => ReputationStateStore.AccountPrefix + id;
    private static string DimensionStateKey(DimensionKey key) => DimensionPrefix + key;

    private void PublishAccount(string id, AccountAggregate account, EntityView view)
    {
        // The rates an operator reads are those the account is judged on (the long window, or its representative volume).
        var judged = rules.Evaluation(StatusPublisher.AccountScope).IsRepresentative ? entities.Window(account) : view.Evaluated;
        var snapshot = AccountSnapshot.From(account, judged, rules.Settings.Thresholds, state.StreamTimeMs);
        snapshot.Forecast = view.Forecast;
        outputs.Emit(id, new StreamOutput { Snapshot = snapshot });
        var entity = EntitySnapshot.From(id, Dimensions.Account, id, account.Windows, view.LastHour, view.All, state.StreamTimeMs);
        entity.Forecast = view.Forecast;
        outputs.Emit(new DimensionKey(id, Dimensions.Account, id).ToString(), new StreamOutput { Entity = entity });
    }

    private void PublishDimension(DimensionKey key, EntityWindows dim, EntityView view)
    {
        var entity = EntitySnapshot.From(key.AccountId, key.Kind, key.Value, dim, view.LastHour, view.All, state.StreamTimeMs);
        entity.Forecast = view.Forecast;
        outputs.Emit(key.ToString(), new StreamOutput { Entity = entity });
    }

    /// <summary>
    /// Every registered rule that applies to the entity, in the registry's order: findings are published; a status change
    /// a rule asks for goes through the status machine (for entities that have a status), then <paramref name="transition"/>.
    /// </summary>
    /// <returns>Whether the entity's stored state changed (findings raised are remembered in its windows).</returns>
    private bool Evaluate(EntityView entity, Action<Decision> transition)
    {
        var changed = false;
        var now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var rule in rules.Registry)
        {
            if (!rule.AppliesTo(entity.Kind)) continue;
            var result = rule.Evaluate(entity);
            changed |= statuses.Publish(result.Findings);
            if (result.Request is not { } request || entity.State is not { } status) continue;
            var decision = request switch
            {
                RuleFired fired => rules.Machine.OnRule(entity.Scope, entity.Entity, status, fired.Window, entity.Samples, fired.Rule, now),
                CompromiseSuspected suspected => rules.Machine.OnCompromise(entity.Scope, entity.Entity, status, entity.Evaluated, entity.Samples,
                    suspected.Signal, now),
                _ => throw new InvalidOperationException($"rule {rule.Name} asked for {request.GetType().Name}, which no status machine knows"),
            };
            if (decision is null) continue;
            transition(decision);
            changed = true;
        }
        return changed;
    }

    /// <summary>The account's callers (identity@ip): when each was first seen and what it sent in the last hour.</summary>
    private IEnumerable<(string Caller, long FirstSeenMs, long Sent)> Callers(AccountAggregate account) =>
        account.Dimensions
            .Where(k => k.StartsWith(Dimensions.Caller + "/", StringComparison.Ordinal))
            .Select(k =>
            {
                var key = DimensionKey.Of(account.AccountId, k);
                var w = entities.Dimension(key);
                return (key.Value, w.FirstSeenMs, counters.Snapshot(w, WindowKind.Short).Totals.Sent);
            });
}
