using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using Streamiz.Kafka.Net.State;

namespace ReputationMonitor.Streaming;

/// <summary>
/// Typed view over the task's single changelogged store: message ledgers under <c>m/</c>, account
/// aggregates under <c>a/</c>.
/// </summary>
public sealed class ReputationStateStore(IKeyValueStore<string, byte[]> store)
{
    private const string LedgerPrefix = "m/", AccountPrefix = "a/", DimensionPrefix = "d/", SuppressionPrefix = "x/";

    public MessageLedger? GetLedger(string messageId) =>
        store.Get(LedgerPrefix + messageId) is { } b ? JsonSerializer.Deserialize(b, CoreJsonContext.Default.MessageLedger) : null;

    public void PutLedger(string messageId, MessageLedger ledger) =>
        store.Put(LedgerPrefix + messageId, JsonSerializer.SerializeToUtf8Bytes(ledger, CoreJsonContext.Default.MessageLedger));

    public void DeleteLedger(string messageId) => store.Delete(LedgerPrefix + messageId);

    public AccountAggregate? GetAccount(string accountId) =>
        store.Get(AccountPrefix + accountId) is { } b ? JsonSerializer.Deserialize(b, CoreJsonContext.Default.AccountAggregate) : null;

    public void PutAccount(string accountId, AccountAggregate account) =>
        store.Put(AccountPrefix + accountId, JsonSerializer.SerializeToUtf8Bytes(account, CoreJsonContext.Default.AccountAggregate));

    /// <param name="key">"&lt;account&gt;/&lt;kind&gt;/&lt;value&gt;"</param>
    public EntityWindows? GetDimension(string key) =>
        store.Get(DimensionPrefix + key) is { } b ? JsonSerializer.Deserialize(b, CoreJsonContext.Default.EntityWindows) : null;

    public void PutDimension(string key, EntityWindows windows) =>
        store.Put(DimensionPrefix + key, JsonSerializer.SerializeToUtf8Bytes(windows, CoreJsonContext.Default.EntityWindows));

    public void DeleteDimension(string key) => store.Delete(DimensionPrefix + key);

    /// <param name="key">"&lt;account&gt;/&lt;email&gt;"</param>
    public bool HasSuppression(string key) => store.Get(SuppressionPrefix + key) is not null;

    public void PutSuppression(string key, SuppressionChange entry) =>
        store.Put(SuppressionPrefix + key, JsonSerializer.SerializeToUtf8Bytes(entry, CoreJsonContext.Default.SuppressionChange));

    public void DeleteSuppression(string key) => store.Delete(SuppressionPrefix + key);

    public IEnumerable<KeyValuePair<string, MessageLedger>> AllLedgers()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(LedgerPrefix, StringComparison.Ordinal))
                yield return new(kv.Key[LedgerPrefix.Length..], JsonSerializer.Deserialize(kv.Value, CoreJsonContext.Default.MessageLedger)!);
    }

    public IEnumerable<(string Key, EntityWindows Windows)> AllDimensions()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(DimensionPrefix, StringComparison.Ordinal))
                yield return (kv.Key[DimensionPrefix.Length..], JsonSerializer.Deserialize(kv.Value, CoreJsonContext.Default.EntityWindows)!);
    }

    public IEnumerable<AccountAggregate> AllAccounts()
    {
        foreach (var kv in store.All())
            if (kv.Key.StartsWith(AccountPrefix, StringComparison.Ordinal))
                yield return JsonSerializer.Deserialize(kv.Value, CoreJsonContext.Default.AccountAggregate)!;
    }

    public static AccountAggregate? ReadAccount(IReadOnlyKeyValueStore<string, byte[]> store, string accountId) =>
        store.Get(AccountPrefix + accountId) is { } b ? JsonSerializer.Deserialize(b, CoreJsonContext.Default.AccountAggregate) : null;
}
