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

namespace ReputationMonitor.Engine.State;

/// <summary>
/// Typed view over a partition's changelogged entries: message ledgers under <c>m/</c>, account aggregates under
/// <c>a/</c>, dimension windows under <c>d/</c>, suppressions under <c>x/</c>.
/// Ledgers, accounts and dimensions are written behind: a put keeps the live object and <see cref="Flush"/> (called
/// before the host commits the input offsets — under Streamiz just before it flushes the store) encodes each one once. Serializing
/// an account aggregate and its dimensions on every event would be most of the per-record cost.
/// Ledgers can be written through instead (<c>ledgersWriteThrough</c>) where a put costs no changelog record.
/// A ledger's dimensions are stored once per distinct set under <c>s/</c> (<see cref="DimensionSets"/>).
/// </summary>
public sealed class ReputationStateStore
{
    public const string AccountPrefix = "a/";
    private const string SuppressionPrefix = "x/";

    private readonly IStateEntries _store;
    private readonly DimensionSets _sets;
    private readonly WriteBehind<string, MessageLedger> _ledgers;
    private readonly ILedgerEntries? _ledgersByHash; // written through, by their number (no key text per record)
    private readonly WriteBehind<string, AccountAggregate> _accounts;
    /// <summary>Keyed by the typed key: its text is made when the store is read or written, not on every put.</summary>
    private readonly WriteBehind<DimensionKey, EntityWindows> _dimensions;

    /// <param name="setTouchMs">How far a dimension set's last use may lag before it is stored again (and so how much
    /// longer than the ledgers it is kept).</param>
    public ReputationStateStore(IStateEntries store, bool ledgersWriteThrough = false, long setTouchMs = 60_000)
    {
        _store = store;
        _sets = new DimensionSets(store, setTouchMs);
        _ledgers = new(store, "m/", EncodeLedger, DecodeLedger, Text, Text, ledgersWriteThrough);
        _ledgersByHash = ledgersWriteThrough ? store as ILedgerEntries : null;
        _accounts = new(store, AccountPrefix, StateCodec.Encode, StateCodec.Decode<AccountAggregate>, Text, Text);
        _dimensions = new(store, "d/", StateCodec.Encode, StateCodec.Decode<EntityWindows>, k => k.ToString(), DimensionKey.Parse);
    }

    /// <summary>
    /// Ledgers are keyed by a 128-bit hash of the message id (22 characters instead of ~60): the key is held once in the
    /// store and the retention queue holds the hash instead of the id string — less state per message in flight.
    /// </summary>
    public static UInt128 LedgerHash(string messageId) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(messageId.AsSpan()));

    /// <summary>The partition's stream time, kept by the engine: how long a ledger written now may be kept.</summary>
    public long StreamTimeMs { get; set; }

    public MessageLedger? GetLedger(string messageId) => GetLedger(LedgerHash(messageId), messageId);

    /// <param name="messageId">The id, where the caller knows it (a stored ledger does not hold it: its key is its hash).</param>
    public MessageLedger? GetLedger(UInt128 hash, string? messageId = null)
    {
        var ledger = _ledgersByHash is { } byHash
            ? byHash.GetLedger(hash) is { } bytes ? DecodeLedger(bytes) : null
            : _ledgers.Get(LedgerKey(hash));
        if (ledger is not null && messageId is not null) ledger.MessageId = messageId;
        return ledger;
    }

    public void PutLedger(UInt128 hash, MessageLedger ledger)
    {
        if (_ledgersByHash is { } byHash) byHash.PutLedger(hash, EncodeLedger(ledger));
        else _ledgers.Put(LedgerKey(hash), ledger);
    }

    public void PutLedger(MessageLedger ledger) => PutLedger(LedgerHash(ledger.MessageId), ledger);

    public void DeleteLedger(UInt128 hash)
    {
        if (_ledgersByHash is { } byHash) byHash.DeleteLedger(hash);
        else _ledgers.Delete(LedgerKey(hash));
    }

    private byte[] EncodeLedger(MessageLedger ledger) => LedgerCodec.Encode(ledger, _sets.Use(ledger, StreamTimeMs));
    private MessageLedger DecodeLedger(byte[] bytes) => LedgerCodec.Decode(bytes, null, _sets);

    /// <summary>Forgets the dimension sets no ledger newer than the horizon can refer to; how many went.</summary>
    public int EvictDimensionSets(long horizonMs) => _sets.Evict(horizonMs);

    public int DimensionSetCount => _sets.Count;

    private static string LedgerKey(UInt128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, hash);
        return Base64Url.EncodeToString(bytes);
    }

    private static bool TryLedgerHash(string key, out UInt128 hash)
    {
        hash = default;
        Span<byte> bytes = stackalloc byte[16];
        if (key.Length != 22 || Base64Url.DecodeFromChars(key, bytes, out _, out var written) is not System.Buffers.OperationStatus.Done
            || written != 16) return false;
        hash = BinaryPrimitives.ReadUInt128LittleEndian(bytes);
        return true;
    }

    public AccountAggregate? GetAccount(string accountId) => _accounts.Get(accountId);
    public void PutAccount(string accountId, AccountAggregate account) => _accounts.Put(accountId, account);

    public EntityWindows? GetDimension(DimensionKey key) => _dimensions.Get(key);
    public void PutDimension(DimensionKey key, EntityWindows windows) => _dimensions.Put(key, windows);
    public void DeleteDimension(DimensionKey key) => _dimensions.Delete(key);

    public bool HasSuppression(string accountId, string email) => _store.Get(SuppressionKey(accountId, email)) is not null;

    public void PutSuppression(SuppressionChange entry) =>
        _store.Put(SuppressionKey(entry.AccountId, entry.Email), JsonSerializer.SerializeToUtf8Bytes(entry, CoreJsonContext.Default.SuppressionChange));

    public void DeleteSuppression(string accountId, string email) => _store.Delete(SuppressionKey(accountId, email));

    /// <summary>Statistics owed to entities (<c>a/</c> + account id, or <c>d/</c> + dimension key): kept in the state so that a
    /// partition's next owner publishes them (the entity's state already holds the changes; nothing else would). One record
    /// per batch of deferrals (<c>o/@…</c>, the entity keys in it), so a tick that defers thousands of publications writes one
    /// changelog record, not one per entity and another when each is made.</summary>
    public const string OwedPrefix = "o/";

    private const string OwedBatchPrefix = "@";

    /// <summary>A batch's name: the pass's processing time and a number, unique within the partition's owner (and, by the time,
    /// across owners).</summary>
    public static string OwedBatch(long passMs, int sequence) => $"{OwedBatchPrefix}{passMs}-{sequence}";

    /// <param name="batch">From <see cref="OwedBatch"/>.</param>
    public void PutOwed(string batch, IReadOnlyCollection<string> entityKeys) =>
        _store.Put(OwedPrefix + batch, StateCodec.Encode(entityKeys.ToArray()));

    /// <param name="record">As <see cref="AllOwed"/> names it.</param>
    public void DeleteOwed(string record) => _store.Delete(OwedPrefix + record);

    /// <summary>Every batch of owed publications (used while a task starts), by the record's name for <see cref="DeleteOwed"/>.
    /// A record of the layout before batches (<c>o/</c> + one entity key) reads as a batch of that one key.</summary>
    public List<(string Record, string[] EntityKeys)> AllOwed() =>
        [.. _store.All().Where(e => e.Key.StartsWith(OwedPrefix, StringComparison.Ordinal)).Select(e =>
        {
            var record = e.Key[OwedPrefix.Length..];
            return (record, record.StartsWith(OwedBatchPrefix, StringComparison.Ordinal) ? OwedKeys(e.Value) : new[] { record });
        })];

    /// <summary>A batch that does not read is owed nothing (the entities are published at their next change, as before a move).</summary>
    private static string[] OwedKeys(byte[] value)
    {
        try
        {
            return StateCodec.Decode<string[]>(value) ?? [];
        }
        catch (MessagePack.MessagePackSerializationException)
        {
            return [];
        }
    }

    private static string SuppressionKey(string accountId, string email) => $"{SuppressionPrefix}{accountId}/{email}";

    /// <summary>Writes every object changed since the last flush into the store (and so its changelog).</summary>
    public void Flush()
    {
        _ledgers.Flush();
        _accounts.Flush();
        _dimensions.Flush();
    }

    // Used only while a task starts (nothing is unflushed then).
    /// <summary>Every ledger with its key hash. The dimension sets are loaded too, so that those no ledger uses any more expire.</summary>
    public List<(UInt128 Hash, MessageLedger Ledger)> AllLedgers()
    {
        _sets.LoadAll();
        var all = new List<(UInt128, MessageLedger)>();
        foreach (var (key, ledger) in _ledgers.All())
            all.Add((TryLedgerHash(key, out var hash) ? hash : throw new InvalidDataException($"ledger key '{key}' is not a message hash"), ledger));
        return all;
    }

    public IEnumerable<(DimensionKey Key, EntityWindows Windows)> AllDimensions() =>
        _dimensions.All();
    public IEnumerable<AccountAggregate> AllAccounts() => _accounts.All().Select(a => a.Value);

    /// <summary>One kind of state under its key prefix: live objects changed since the last flush, the store behind them.</summary>
    private static string Text(string key) => key;

    /// <summary>One kind of state under its key prefix: live objects changed since the last flush, the store behind them.</summary>
    private sealed class WriteBehind<TKey, T>(IStateEntries store, string prefix, Func<T, byte[]> encode, Func<byte[], T> decode,
        Func<TKey, string> keyText, Func<string, TKey> parseKey, bool writeThrough = false) where TKey : notnull where T : class
    {
        private readonly Dictionary<TKey, T> _live = [];

        public T? Get(TKey id) =>
            _live.TryGetValue(id, out var live) ? live : store.Get(prefix + keyText(id)) is { } b ? decode(b) : null;

        public void Put(TKey id, T value)
        {
            if (writeThrough) store.Put(prefix + keyText(id), encode(value));
            else _live[id] = value;
        }

        public void Delete(TKey id)
        {
            _live.Remove(id);
            store.Delete(prefix + keyText(id));
        }

        public void Flush()
        {
            foreach (var (id, value) in _live) store.Put(prefix + keyText(id), encode(value));
            _live.Clear();
        }

        public IEnumerable<(TKey Id, T Value)> All()
        {
            foreach (var kv in store.All())
                if (kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                    yield return (parseKey(kv.Key[prefix.Length..]), decode(kv.Value));
        }
    }
}
