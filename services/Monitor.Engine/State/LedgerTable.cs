using System.Numerics;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// The ledgers of a partition by their 128-bit key hash: open addressing with linear probing over three arrays (24 B a
/// slot, kept between 40 % and 85 % full). One entry per message in flight, so its overhead is state per message, and a
/// <c>Dictionary&lt;UInt128, byte[]&gt;</c> (an entry and a bucket per slot) spends more bytes per ledger. Deletion
/// shifts the following entries back instead of leaving tombstones, so lookups never slow down as ledgers come and go.
/// </summary>
public sealed class LedgerTable
{
    private const int MinCapacity = 16;
    private ulong[] _lo = new ulong[MinCapacity], _hi = new ulong[MinCapacity];
    private byte[]?[] _values = new byte[]?[MinCapacity];
    private int _mask = MinCapacity - 1, _shift = 64 - 4;

    public int Count { get; private set; }

    public byte[]? Get(UInt128 key) => Find(key, out var slot) ? _values[slot] : null;

    public void Set(UInt128 key, byte[] value)
    {
        if (Find(key, out var slot))
        {
            _values[slot] = value;
            return;
        }
        if (Count + 1 > (_values.Length * 85L) / 100)
        {
            Resize(_values.Length * 2);
            Find(key, out slot);
        }
        (_lo[slot], _hi[slot], _values[slot]) = ((ulong)key, (ulong)(key >> 64), value);
        Count++;
    }

    public bool Remove(UInt128 key)
    {
        if (!Find(key, out var hole)) return false;
        // Backward shift: an entry after the hole moves into it unless its home lies cyclically in (hole, entry].
        var next = hole;
        while (true)
        {
            next = (next + 1) & _mask;
            if (_values[next] is null) break;
            var home = Home(_lo[next], _hi[next]);
            if (((next - home) & _mask) < ((next - hole) & _mask)) continue;
            (_lo[hole], _hi[hole], _values[hole]) = (_lo[next], _hi[next], _values[next]);
            hole = next;
        }
        _values[hole] = null;
        Count--;
        if (_values.Length > MinCapacity && Count < (_values.Length * 20L) / 100) Resize(_values.Length / 2);
        return true;
    }

    public IEnumerable<(UInt128 Key, byte[] Value)> Entries()
    {
        for (var i = 0; i < _values.Length; i++)
            if (_values[i] is { } value)
                yield return (new UInt128(_hi[i], _lo[i]), value);
    }

    /// <returns>True and the key's slot, or false and the free slot where it would go.</returns>
    private bool Find(UInt128 key, out int slot)
    {
        ulong lo = (ulong)key, hi = (ulong)(key >> 64);
        slot = Home(lo, hi);
        while (_values[slot] is not null)
        {
            if (_lo[slot] == lo && _hi[slot] == hi) return true;
            slot = (slot + 1) & _mask;
        }
        return false;
    }

    // Fibonacci hashing of both halves: the keys are hashes already, but nothing here should depend on which bits are good.
    private int Home(ulong lo, ulong hi) => (int)(((lo ^ BitOperations.RotateLeft(hi, 32)) * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Resize(int capacity)
    {
        var (lo, hi, values) = (_lo, _hi, _values);
        (_lo, _hi, _values) = (new ulong[capacity], new ulong[capacity], new byte[]?[capacity]);
        _mask = capacity - 1;
        _shift = 64 - BitOperations.Log2((uint)capacity);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value) continue;
            var slot = Home(lo[i], hi[i]);
            while (_values[slot] is not null) slot = (slot + 1) & _mask;
            (_lo[slot], _hi[slot], _values[slot]) = (lo[i], hi[i], value);
        }
    }
}
