using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// The partition's accounts and dimensions in memory, over the state store: loaded on first use, and which of them changed
/// since the last statistics tick (only those are published and evaluated).
/// </summary>
internal sealed class PartitionEntities(WindowedCounters counters, ReputationStateStore state, RulesInForce rules, Func<SuppressionList> suppressions)
{
    private readonly Dictionary<string, AccountAggregate> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountAttribution> _attributions = new(StringComparer.Ordinal);
    private readonly Dictionary<DimensionKey, EntityWindows> _dimensions = [];

    public HashSet<string> DirtyAccounts { get; } = new(StringComparer.Ordinal);
    public HashSet<DimensionKey> DirtyDimensions { get; } = [];

    public AccountAggregate Account(string accountId) => Attribution(accountId).Account;

    /// <summary>What an account's status is judged on (its long window or its representative volume), since its fresh start.</summary>
    public WindowSnapshot Window(AccountAggregate account) =>
        counters.Evaluated(account.Windows, rules.Evaluation(StatusPublisher.AccountScope), account.State.EvaluateFromMs);

    /// <summary>An account loaded before (the tick's work lists hold only those), or null.</summary>
    public AccountAggregate? Loaded(string accountId) => _accounts.GetValueOrDefault(accountId);

    /// <summary>An account this partition has seen (in memory or in its state), or null.</summary>
    public AccountAggregate? FindAccount(string accountId) =>
        Loaded(accountId) ?? (state.GetAccount(accountId) is not null ? Account(accountId) : null);

    /// <summary>Where a message's counter moves go for this account: the account and its dimensions.</summary>
    public AccountAttribution Attribution(string accountId)
    {
        if (_attributions.TryGetValue(accountId, out var a)) return a;
        var account = state.GetAccount(accountId) ?? new AccountAggregate { AccountId = accountId };
        account.Windows.KeepHistory();
        _accounts[accountId] = account;
        a = new AccountAttribution(counters, account, Dimension, Forget,
            email => suppressions().Contains(accountId, email),
            (message, email, reason, at) =>
                suppressions().Add(accountId, email, reason, DateTimeOffset.FromUnixTimeMilliseconds(at), message.MessageId, "rule", null),
            EngineMetrics.CountRecipients,
            () => EngineMetrics.LateEvents.Inc());
        _attributions[accountId] = a;
        return a;
    }

    public EntityWindows Dimension(DimensionKey key)
    {
        if (_dimensions.TryGetValue(key, out var w)) return w;
        w = state.GetDimension(key) ?? new EntityWindows();
        if (key.StatusScope is not null) w.KeepHistory();
        _dimensions[key] = w;
        return w;
    }

    public bool TryGetDimension(DimensionKey key, out EntityWindows windows) => _dimensions.TryGetValue(key, out windows!);

    /// <summary>A dimension this partition has seen (in memory or in its state), or null.</summary>
    public EntityWindows? FindDimension(DimensionKey key) =>
        _dimensions.TryGetValue(key, out var w) ? w : state.GetDimension(key) is not null ? Dimension(key) : null;

    /// <summary>What a configuration set's or tenant's status is judged on (from its fresh start, if an operator gave it one).</summary>
    public WindowSnapshot Window(DimensionKey key, EntityWindows dimension) =>
        counters.Evaluated(dimension, rules.Evaluation(key.StatusScope!), dimension.State?.EvaluateFromMs ?? 0);

    /// <summary>The per-record check's numbers for a configuration set or tenant.</summary>
    public RateTotals Totals(DimensionKey key, EntityWindows dimension) =>
        counters.EvaluatedTotals(dimension, rules.Evaluation(key.StatusScope!), dimension.State?.EvaluateFromMs ?? 0);

    public RateTotals Totals(AccountAggregate account) =>
        counters.EvaluatedTotals(account.Windows, rules.Evaluation(StatusPublisher.AccountScope), account.State.EvaluateFromMs);

    /// <summary>A dimension dropped by the bound on dimensions per account.</summary>
    private void Forget(DimensionKey key)
    {
        _dimensions.Remove(key);
        DirtyDimensions.Remove(key);
        state.DeleteDimension(key);
    }

    /// <summary>Stores an account and marks it for the next tick.</summary>
    public void Store(AccountAggregate account)
    {
        state.PutAccount(account.AccountId, account);
        DirtyAccounts.Add(account.AccountId);
    }

    /// <summary>Stores a dimension and marks it for the next tick.</summary>
    public void Store(DimensionKey key, EntityWindows windows)
    {
        state.PutDimension(key, windows);
        DirtyDimensions.Add(key);
    }
}
