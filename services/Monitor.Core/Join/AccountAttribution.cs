using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Join;

/// <summary>
/// Attributes each counter move to the account and to every dimension the message has: configuration
/// set, tenant, sending domain, pool, IP, caller (each split by provider, which gives the crossings). Dimension
/// entities per account are bounded: beyond the limit the oldest is dropped.
/// </summary>
/// <param name="dimension">The windows of a dimension, asked once per dimension: the same object is used after.</param>
/// <param name="evicted">A dimension dropped by the bound.</param>
public sealed class AccountAttribution(
    WindowedCounters counters, AccountAggregate account,
    Func<DimensionKey, EntityWindows> dimension, Action<DimensionKey> evicted,
    Func<string, bool>? isSuppressed = null, Action<MessageLedger, string, string, long>? suppress = null,
    Action<int, int, int>? counted = null, Action? late = null) : ICounterSink
{
    // Resolved once per dimension: a counter move is a dictionary hit, not a key string, a list scan and a lookup,
    // which would be paid on every move of every record.
    private readonly Dictionary<(string Kind, string Value), DimensionSlot> _slots = [];
    private readonly Dictionary<(string? Identity, string? Ip), DimensionSlot> _callers = [];
    private readonly List<DimensionSlot> _touched = [];

    public AccountAggregate Account => account;

    /// <summary>The dimensions whose counters moved since <see cref="ClearTouched"/>, each once.</summary>
    public IReadOnlyList<DimensionSlot> Touched => _touched;

    public void ClearTouched()
    {
        foreach (var slot in _touched) slot.Touched = false;
        _touched.Clear();
    }

    public void Add(MessageLedger m, int provider, int counter, long timestampMs, int amount = 1, string? responseRule = null)
    {
        if (counters.Add(account.Windows, provider, counter, timestampMs, amount, responseRule)) counted?.Invoke(provider, counter, amount);
        else late?.Invoke(); // older than the long window: no window changes (the dimensions refuse it the same way)
        AddTo(Dimensions.ConfigurationSet, m.ConfigurationSet, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Tenant, m.Tenant, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Domain, m.FromDomain, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Pool, m.SendingPool, provider, counter, timestampMs, amount, responseRule);
        AddTo(Dimensions.Ip, m.SendingIp, provider, counter, timestampMs, amount, responseRule);
        if (m.CallerIdentity is not null || m.CallerIp is not null)
        {
            if (!_callers.TryGetValue((m.CallerIdentity, m.CallerIp), out var caller) || caller.Evicted)
                _callers[(m.CallerIdentity, m.CallerIp)] = caller = Slot(Dimensions.Caller, Dimensions.CallerValue(m.CallerIdentity, m.CallerIp)!);
            AddTo(caller, provider, counter, timestampMs, amount, responseRule);
        }
    }

    public void Sample(EvidenceSample sample) => counters.AddSample(account, sample);

    public bool IsSuppressed(string email) => isSuppressed?.Invoke(email) ?? false;

    public void Suppress(MessageLedger message, string email, string reason, long timestampMs) =>
        suppress?.Invoke(message, email, reason, timestampMs);

    private void AddTo(string kind, string? value, int provider, int counter, long ts, int amount, string? rule)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (!_slots.TryGetValue((kind, value), out var slot) || slot.Evicted) _slots[(kind, value)] = slot = Slot(kind, value);
        AddTo(slot, provider, counter, ts, amount, rule);
    }

    private void AddTo(DimensionSlot slot, int provider, int counter, long ts, int amount, string? rule)
    {
        counters.Add(slot.Windows, provider, counter, ts, amount, rule);
        if (slot.Touched) return;
        slot.Touched = true;
        _touched.Add(slot);
    }

    private DimensionSlot Slot(string kind, string value)
    {
        var key = Dimensions.Key(kind, value);
        if (!account.Dimensions.Contains(key))
        {
            account.Dimensions.Add(key);
            if (account.Dimensions.Count > counters.Options.MaxDimensionsPerAccount)
            {
                var oldest = account.Dimensions[0];
                account.Dimensions.RemoveAt(0);
                Evict(oldest);
            }
        }
        var id = new DimensionKey(account.AccountId, kind, value);
        return new DimensionSlot(id, dimension(id));
    }

    private void Evict(string key)
    {
        var (kind, value) = Dimensions.Parse(key);
        var slot = kind == Dimensions.Caller
            ? _callers.Values.FirstOrDefault(s => s.Key == key)
            : _slots.GetValueOrDefault((kind, value));
        if (slot is not null) slot.Evicted = true; // the next move re-creates it, as a new dimension
        evicted(new DimensionKey(account.AccountId, kind, value));
    }
}

/// <summary>One dimension of an account, resolved: its keys and its windows.</summary>
public sealed class DimensionSlot(DimensionKey id, EntityWindows windows)
{
    public DimensionKey Id => id;
    public string Kind => id.Kind;
    public string Value => id.Value;

    /// <summary>"kind/value", as in <see cref="AccountAggregate.Dimensions"/>.</summary>
    public string Key { get; } = id.Dimension;

    public EntityWindows Windows => windows;

    /// <summary>The status scope of the dimension (configuration sets, tenants), or null.</summary>
    public string? StatusScope { get; } = id.StatusScope;

    internal bool Touched { get; set; }

    /// <summary>Dropped by the bound on dimensions per account (its windows are no longer stored).</summary>
    public bool Evicted { get; internal set; }
}
