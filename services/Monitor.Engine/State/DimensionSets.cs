using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using MessagePack;
using ReputationMonitor.Core.Join;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// The dimensions a message is attributed to (tenant, configuration set, pool, IP, sending domain, caller) repeat for
/// every message of an account: a ledger holds the 64-bit id of its set, and each set is stored once under <c>s/</c>
/// (as strings in every ledger they would be a large part of its bytes). The id is a hash of the values, so it needs no
/// counter and is the same in every runtime and after a restore.
/// A set lives as long as a ledger may still refer to it: it carries the latest stream time (or event time, if later) at
/// which a ledger was written with it — stored again only when that moved by more than <see cref="_touchMs"/>, so not
/// once per message — and is removed once that time is older than the ledger retention plus that slack. Stream time,
/// not the ledger's own event time: a ledger of a late event is created with an old time and stays until the ledgers
/// queued before it expire, up to a retention after it was written.
/// </summary>
internal sealed class DimensionSets(IStateEntries store, long touchMs)
{
    public const string Prefix = "s/";
    private const int Fields = 7;
    private readonly long _touchMs = touchMs;
    private readonly Dictionary<ulong, Set> _sets = [];

    public int Count => _sets.Count;

    /// <summary>The ledger's set id (0: no dimensions), its set stored if new or last used long enough ago.</summary>
    /// <param name="streamTimeMs">The partition's stream time as the ledger is written.</param>
    public ulong Use(MessageLedger ledger, long streamTimeMs)
    {
        Span<string?> values = [ledger.Tenant, ledger.ConfigurationSet, ledger.SendingPool, ledger.SendingIp, ledger.FromDomain,
            ledger.CallerIdentity, ledger.CallerIp];
        var id = Id(values);
        if (id == 0) return 0;
        if (!TryGet(id, out var set))
        {
            set = new Set(values.ToArray(), long.MinValue);
            _sets[id] = set;
        }
        var usedAt = Math.Max(streamTimeMs, ledger.LastEventMs);
        if (usedAt > set.LastUsedMs + _touchMs || set.LastUsedMs == long.MinValue)
        {
            set.LastUsedMs = Math.Max(set.LastUsedMs, usedAt);
            store.Put(Key(id), Encode(set));
        }
        return id;
    }

    /// <summary>Fills the ledger's dimensions from its set; false when the set is not (or no longer) there.</summary>
    public bool Fill(MessageLedger ledger, ulong id)
    {
        if (id == 0) return true;
        if (!TryGet(id, out var set)) return false;
        var v = set.Values;
        ledger.Tenant = v[0];
        ledger.ConfigurationSet = v[1];
        ledger.SendingPool = v[2];
        ledger.SendingIp = v[3];
        ledger.FromDomain = v[4];
        ledger.CallerIdentity = v[5];
        ledger.CallerIp = v[6];
        return true;
    }

    /// <summary>Every stored set into memory (when a partition starts), so that those no ledger uses any more expire.</summary>
    public void LoadAll()
    {
        foreach (var (key, value) in store.All())
            if (key.StartsWith(Prefix, StringComparison.Ordinal) && TryParse(key, out var id))
                _sets[id] = Decode(value);
    }

    /// <summary>Removes the sets no ledger newer than <paramref name="horizonMs"/> can refer to.</summary>
    public int Evict(long horizonMs)
    {
        List<ulong>? expired = null;
        foreach (var (id, set) in _sets)
            if (set.LastUsedMs + _touchMs < horizonMs) (expired ??= []).Add(id);
        if (expired is null) return 0;
        foreach (var id in expired)
        {
            _sets.Remove(id);
            store.Delete(Key(id));
        }
        return expired.Count;
    }

    private bool TryGet(ulong id, out Set set)
    {
        if (_sets.TryGetValue(id, out set!)) return true;
        if (store.Get(Key(id)) is not { } stored) return false;
        set = _sets[id] = Decode(stored);
        return true;
    }

    /// <summary>XxHash64 over the values, each with a presence byte and a length, so no two tuples share an encoding.</summary>
    private static ulong Id(ReadOnlySpan<string?> values)
    {
        var any = false;
        var hash = new XxHash64();
        Span<byte> head = stackalloc byte[5];
        foreach (var value in values)
        {
            head[0] = value is null ? (byte)0 : (byte)1;
            BinaryPrimitives.WriteInt32LittleEndian(head[1..], value?.Length ?? 0);
            hash.Append(head);
            if (value is null) continue;
            any = true;
            hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
        }
        if (!any) return 0;
        var id = hash.GetCurrentHashAsUInt64();
        return id == 0 ? 1 : id; // 0 means "none"
    }

    private static string Key(ulong id)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, id);
        return Prefix + Base64Url.EncodeToString(bytes);
    }

    private static bool TryParse(string key, out ulong id)
    {
        id = 0;
        Span<byte> bytes = stackalloc byte[8];
        if (Base64Url.DecodeFromChars(key.AsSpan(Prefix.Length), bytes, out _, out var written) is not System.Buffers.OperationStatus.Done
            || written != 8) return false;
        id = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return true;
    }

    /// <summary><c>[layout 1, lastUsedMs, tenant, configurationSet, pool, ip, fromDomain, callerIdentity, callerIp]</c></summary>
    private static byte[] Encode(Set set)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2 + Fields);
        writer.Write(1);
        writer.Write(set.LastUsedMs);
        foreach (var value in set.Values) writer.Write(value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static Set Decode(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        var count = reader.ReadArrayHeader();
        var layout = reader.ReadInt32();
        if (layout != 1 || count < 2 + Fields)
            throw new MessagePackSerializationException($"dimension set layout {layout} with {count} fields is not known");
        var lastUsed = reader.ReadInt64();
        var values = new string?[Fields];
        for (var i = 0; i < Fields; i++) values[i] = reader.ReadString();
        return new Set(values, lastUsed);
    }

    private sealed class Set(string?[] values, long lastUsedMs)
    {
        public string?[] Values { get; } = values;
        public long LastUsedMs { get; set; } = lastUsedMs;
    }
}
