using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using Streamiz.Kafka.Net.State;

namespace ReputationMonitor.Streaming;

/// <summary>
/// Typed view over the task's single changelogged store: message ledgers under <c>m/</c>, account aggregates under
/// <c>a/</c>, dimension windows under <c>d/</c>, suppressions under <c>x/</c>.
/// Ledgers, accounts and dimensions are written behind: a put keeps the live object and <see cref="Flush"/> (called
/// just before Streamiz flushes the store, so before the offsets are committed) serializes each one once. Serializing
/// an account aggregate and its dimensions on every event was most of the per-record cost (docs/benchmarks.md).
/// </summary>
public sealed class ReputationStateStore(IKeyValueStore<string, byte[]> store)
{
    private const string LedgerPrefix = "m/", AccountPrefix = "a/", DimensionPrefix = "d/", SuppressionPrefix = "x/";

    private readonly Dictionary<string, MessageLedger> _ledgers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountAggregate> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EntityWindows> _dimensions = new(StringComparer.Ordinal);

    /// <summary>Objects changed since the last flush.</summary>
    public int Unflushed => _ledgers.Count + _accounts.Count + _dimensions.Count;

    public MessageLedger? GetLedger(string messageId) =>
        _ledgers.TryGetValue(messageId, out var live) ? live
        : store.Get(LedgerPrefix + messageId) is { } b ? StateCodec.Decode(b, CoreJsonContext.Default.MessageLedger) : null;

    public void PutLedger(string messageId, MessageLedger ledger) => _ledgers[messageId] = ledger;

    public void DeleteLedger(string messageId)
    {
        _ledgers.Remove(messageId);
        store.Delete(LedgerPrefix + messageId);
    }

    public AccountAggregate? GetAccount(string accountId) =>
        _accounts.TryGetValue(accountId, out var live) ? live : ReadAccount(store, accountId);

    public void PutAccount(string accountId, AccountAggregate account) => _accounts[accountId] = account;

    /// <param name="key">"&lt;account&gt;/&lt;kind&gt;/&lt;value&gt;"</param>
    public EntityWindows? GetDimension(string key) =>
        _dimensions.TryGetValue(key, out var live) ? live
        : store.Get(DimensionPrefix + key) is { } b ? StateCodec.Decode(b, CoreJsonContext.Default.EntityWindows) : null;

    public void PutDimension(string key, EntityWindows windows) => _dimensions[key] = windows;

    public void DeleteDimension(string key)
    {
        _dimensions.Remove(key);
        store.Delete(DimensionPrefix + key);
    }

    /// <param name="key">"&lt;account&gt;/&lt;email&gt;"</param>
    public bool HasSuppression(string key) => store.Get(SuppressionPrefix + key) is not null;

    public void PutSuppression(string key, SuppressionChange entry) =>
        store.Put(SuppressionPrefix + key, JsonSerializer.SerializeToUtf8Bytes(entry, CoreJsonContext.Default.SuppressionChange));

    public void DeleteSuppression(string key) => store.Delete(SuppressionPrefix + key);

    /// <summary>Writes every object changed since the last flush into the store (and so its changelog).</summary>
    public void Flush()
    {
        foreach (var (id, ledger) in _ledgers)
            store.Put(LedgerPrefix + id, StateCodec.Encode(ledger));
        foreach (var (id, account) in _accounts)
            store.Put(AccountPrefix + id, StateCodec.Encode(account));
        foreach (var (key, windows) in _dimensions)
            store.Put(DimensionPrefix + key, StateCodec.Encode(windows));
        _ledgers.Clear();
        _accounts.Clear();
        _dimensions.Clear();
    }

    // Used only while a task starts (nothing is unflushed then).
    public IEnumerable<KeyValuePair<string, MessageLedger>> AllLedgers()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(LedgerPrefix, StringComparison.Ordinal))
                yield return new(kv.Key[LedgerPrefix.Length..], StateCodec.Decode(kv.Value, CoreJsonContext.Default.MessageLedger)!);
    }

    public IEnumerable<(string Key, EntityWindows Windows)> AllDimensions()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(DimensionPrefix, StringComparison.Ordinal))
                yield return (kv.Key[DimensionPrefix.Length..], StateCodec.Decode(kv.Value, CoreJsonContext.Default.EntityWindows)!);
    }

    public IEnumerable<AccountAggregate> AllAccounts()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(AccountPrefix, StringComparison.Ordinal))
                yield return StateCodec.Decode(kv.Value, CoreJsonContext.Default.AccountAggregate)!;
    }

    public static AccountAggregate? ReadAccount(IReadOnlyKeyValueStore<string, byte[]> store, string accountId) =>
        store.Get(AccountPrefix + accountId) is { } b ? StateCodec.Decode(b, CoreJsonContext.Default.AccountAggregate) : null;
}
