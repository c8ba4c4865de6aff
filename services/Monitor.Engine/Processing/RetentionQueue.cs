namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// The ledgers in the order their retention may end, each with the latest event time of its run: ledgers enqueued in the
/// same second share one run. One per message in flight, so it is part of the state per message: 16 B (the hash) plus a
/// run shared by a second's messages, instead of a (time, hash) pair — 32 B, the pair padded for the 128-bit hash.
/// A run ends its retention when its latest time does: a ledger may outlive its own by less than a second.
/// </summary>
public sealed class RetentionQueue
{
    private readonly Queue<UInt128> _ledgers = new();
    private readonly Queue<(long LatestMs, int Count)> _runs = new();
    private long _tailSecond, _tailLatestMs;
    private int _tailCount, _headTaken;

    public int Count => _ledgers.Count;

    public void Enqueue(long eventMs, UInt128 ledger)
    {
        var second = Math.DivRem(eventMs, 1000, out var rem) - (rem < 0 ? 1 : 0);
        if (_tailCount > 0 && second == _tailSecond)
        {
            _tailLatestMs = Math.Max(_tailLatestMs, eventMs);
            _tailCount++;
        }
        else
        {
            if (_tailCount > 0) _runs.Enqueue((_tailLatestMs, _tailCount));
            (_tailSecond, _tailLatestMs, _tailCount) = (second, eventMs, 1);
        }
        _ledgers.Enqueue(ledger);
    }

    /// <summary>The oldest ledger and the latest event time of its run.</summary>
    public bool TryPeek(out long latestMs, out UInt128 ledger)
    {
        latestMs = _runs.TryPeek(out var head) ? head.LatestMs : _tailLatestMs;
        return _ledgers.TryPeek(out ledger);
    }

    public void Dequeue()
    {
        _ledgers.Dequeue();
        _headTaken++;
        if (_runs.TryPeek(out var head))
        {
            if (_headTaken < head.Count) return;
            _runs.Dequeue();
        }
        else if (_headTaken < _tailCount) return;
        else _tailCount = 0;
        _headTaken = 0;
    }
}
