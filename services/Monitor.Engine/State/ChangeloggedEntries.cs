using System.Buffers.Binary;
using System.Buffers.Text;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// One partition's state for the partition processor: a dictionary, plus the keys changed since the last commit, which
/// go to the changelog (last value per key; a deletion as a tombstone) when the processor commits. Keys and values are
/// those Streamiz's store holds and logs, so either runtime restores the other's changelog.
/// Ledger keys (<c>m/</c> + the base64url of a 128-bit hash, one per message in flight) are held as the 128-bit number,
/// in a <see cref="LedgerTable"/>: as a string the key would be a sizeable part of the state held per message. Any
/// other key, a ledger key of an older layout included, is held as it is.
/// </summary>
public sealed class ChangeloggedEntries : IStateEntries, ILedgerEntries
{
    private const string LedgerPrefix = "m/";
    private const int LedgerKeyLength = 2 + 22; // "m/" + base64url of 16 bytes, unpadded

    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _changed = new(StringComparer.Ordinal);
    private readonly LedgerTable _ledgers = new();
    private readonly Dictionary<UInt128, byte[]?> _changedLedgers = [];

    public int Count => _entries.Count + _ledgers.Count;
    public int Changed => _changed.Count + _changedLedgers.Count;

    public byte[]? Get(string key) =>
        TryLedger(key, out var hash) ? GetLedger(hash) : _entries.GetValueOrDefault(key);

    public void Put(string key, byte[] value)
    {
        if (TryLedger(key, out var hash))
        {
            PutLedger(hash, value);
            return;
        }
        _entries[key] = value;
        _changed[key] = value;
    }

    public void Delete(string key)
    {
        if (TryLedger(key, out var hash))
        {
            DeleteLedger(hash);
            return;
        }
        if (_entries.Remove(key)) _changed[key] = null;
    }

    public byte[]? GetLedger(UInt128 hash) => _ledgers.Get(hash);

    public void PutLedger(UInt128 hash, byte[] value)
    {
        _ledgers.Set(hash, value);
        _changedLedgers[hash] = value;
    }

    public void DeleteLedger(UInt128 hash)
    {
        if (_ledgers.Remove(hash)) _changedLedgers[hash] = null;
    }

    public IEnumerable<KeyValuePair<string, byte[]>> All()
    {
        foreach (var entry in _entries) yield return entry;
        foreach (var (hash, value) in _ledgers.Entries()) yield return new(LedgerKey(hash), value);
    }

    /// <summary>A changelog record read back while the partition is restored: applied, not logged again.</summary>
    public void Restore(string key, byte[]? value)
    {
        if (TryLedger(key, out var hash))
        {
            if (value is null) _ledgers.Remove(hash);
            else _ledgers.Set(hash, value);
            return;
        }
        if (value is null) _entries.Remove(key);
        else _entries[key] = value;
    }

    /// <summary>The changes since the last call, for the changelog; the list is then empty.</summary>
    public void DrainChanges(Action<string, byte[]?> write)
    {
        foreach (var (key, value) in _changed) write(key, value);
        foreach (var (hash, value) in _changedLedgers) write(LedgerKey(hash), value);
        _changed.Clear();
        _changedLedgers.Clear();
    }

    /// <summary>Only a key that reads back to exactly the same text is taken as a number (so <see cref="All"/> and the
    /// changelog give every key as it was written).</summary>
    private static bool TryLedger(string key, out UInt128 hash)
    {
        hash = default;
        if (key.Length != LedgerKeyLength || !key.StartsWith(LedgerPrefix, StringComparison.Ordinal)) return false;
        Span<byte> bytes = stackalloc byte[16];
        if (Base64Url.DecodeFromChars(key.AsSpan(LedgerPrefix.Length), bytes, out var read, out var written) is not System.Buffers.OperationStatus.Done
            || read != 22 || written != 16) return false;
        hash = BinaryPrimitives.ReadUInt128LittleEndian(bytes);
        Span<char> canonical = stackalloc char[22];
        return Base64Url.EncodeToChars(bytes, canonical) == 22 && canonical.SequenceEqual(key.AsSpan(LedgerPrefix.Length));
    }

    private static string LedgerKey(UInt128 hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, hash);
        return LedgerPrefix + Base64Url.EncodeToString(bytes);
    }
}
