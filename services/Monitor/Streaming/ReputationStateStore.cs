using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Processing;

namespace ReputationMonitor.Streaming;

/// <summary>
/// Typed view over a partition's changelogged entries: message ledgers under <c>m/</c>, account aggregates under
/// <c>a/</c>, dimension windows under <c>d/</c>, suppressions under <c>x/</c>.
/// Ledgers, accounts and dimensions are written behind: a put keeps the live object and <see cref="Flush"/> (called
/// before the host commits the input offsets — under Streamiz just before it flushes the store) encodes each one once. Serializing
/// an account aggregate and its dimensions on every event was most of the per-record cost (docs/benchmarks.md).
/// Ledgers can be written through instead (<c>ledgersWriteThrough</c>) where a put costs no changelog record.
/// </summary>
public sealed class ReputationStateStore(IStateEntries store, bool ledgersWriteThrough = false)
{
    public const string AccountPrefix = "a/";
    private const string SuppressionPrefix = "x/";

    private readonly WriteBehind<MessageLedger> _ledgers = new(store, "m/", CoreJsonContext.Default.MessageLedger, ledgersWriteThrough);
    private readonly WriteBehind<AccountAggregate> _accounts = new(store, AccountPrefix, CoreJsonContext.Default.AccountAggregate);
    private readonly WriteBehind<EntityWindows> _dimensions = new(store, "d/", CoreJsonContext.Default.EntityWindows);

    /// <summary>
    /// Ledgers are keyed by a 128-bit hash of the message id (22 characters instead of ~60): the key is held once in the
    /// store and the retention queue holds the hash instead of the id string — ~170 B less per message in flight
    /// (docs/benchmarks.md). The id itself is in the ledger. Ledgers an earlier version keyed by id are re-keyed at start.
    /// </summary>
    public static UInt128 LedgerHash(string messageId) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(messageId.AsSpan()));

    public MessageLedger? GetLedger(string messageId) => GetLedger(LedgerHash(messageId));
    public MessageLedger? GetLedger(UInt128 hash) => _ledgers.Get(LedgerKey(hash));
    public void PutLedger(UInt128 hash, MessageLedger ledger) => _ledgers.Put(LedgerKey(hash), ledger);
    public void PutLedger(MessageLedger ledger) => PutLedger(LedgerHash(ledger.MessageId), ledger);
    public void DeleteLedger(UInt128 hash) => _ledgers.Delete(LedgerKey(hash));

    private static string LedgerKey(UInt128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, hash);
        return Base64Url.EncodeToString(bytes);
    }

    public AccountAggregate? GetAccount(string accountId) => _accounts.Get(accountId);
    public void PutAccount(string accountId, AccountAggregate account) => _accounts.Put(accountId, account);

    /// <param name="key">"&lt;account&gt;/&lt;kind&gt;/&lt;value&gt;"</param>
    public EntityWindows? GetDimension(string key) => _dimensions.Get(key);
    public void PutDimension(string key, EntityWindows windows) => _dimensions.Put(key, windows);
    public void DeleteDimension(string key) => _dimensions.Delete(key);

    /// <param name="key">"&lt;account&gt;/&lt;email&gt;"</param>
    public bool HasSuppression(string key) => store.Get(SuppressionPrefix + key) is not null;

    public void PutSuppression(string key, SuppressionChange entry) =>
        store.Put(SuppressionPrefix + key, JsonSerializer.SerializeToUtf8Bytes(entry, CoreJsonContext.Default.SuppressionChange));

    public void DeleteSuppression(string key) => store.Delete(SuppressionPrefix + key);

    /// <summary>Writes every object changed since the last flush into the store (and so its changelog).</summary>
    public void Flush()
    {
        _ledgers.Flush();
        _accounts.Flush();
        _dimensions.Flush();
    }

    // Used only while a task starts (nothing is unflushed then).
    /// <summary>Every ledger with its key hash; ledgers stored under their message id (earlier versions) are re-keyed.</summary>
    public List<(UInt128 Hash, MessageLedger Ledger)> AllLedgers()
    {
        var all = new List<(UInt128, MessageLedger)>();
        var legacy = new List<string>();
        foreach (var (id, ledger) in _ledgers.All())
        {
            if (id == ledger.MessageId) legacy.Add(id);
            all.Add((LedgerHash(ledger.MessageId), ledger));
        }
        foreach (var id in legacy)
        {
            var ledger = _ledgers.Get(id)!;
            _ledgers.Delete(id);
            PutLedger(ledger);
        }
        return all;
    }
    public IEnumerable<(string Key, EntityWindows Windows)> AllDimensions() => _dimensions.All();
    public IEnumerable<AccountAggregate> AllAccounts() => _accounts.All().Select(a => a.Value);

    /// <summary>One kind of state under its key prefix: live objects changed since the last flush, the store behind them.</summary>
    private sealed class WriteBehind<T>(IStateEntries store, string prefix, JsonTypeInfo<T> earlierJson, bool writeThrough = false) where T : class
    {
        private readonly Dictionary<string, T> _live = new(StringComparer.Ordinal);

        public T? Get(string id) =>
            _live.TryGetValue(id, out var live) ? live : store.Get(prefix + id) is { } b ? StateCodec.Decode(b, earlierJson) : null;

        public void Put(string id, T value)
        {
            if (writeThrough) store.Put(prefix + id, StateCodec.Encode(value));
            else _live[id] = value;
        }

        public void Delete(string id)
        {
            _live.Remove(id);
            store.Delete(prefix + id);
        }

        public void Flush()
        {
            foreach (var (id, value) in _live) store.Put(prefix + id, StateCodec.Encode(value));
            _live.Clear();
        }

        public IEnumerable<(string Id, T Value)> All()
        {
            foreach (var kv in store.All())
                if (kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                    yield return (kv.Key[prefix.Length..], StateCodec.Decode(kv.Value, earlierJson));
        }
    }
}
