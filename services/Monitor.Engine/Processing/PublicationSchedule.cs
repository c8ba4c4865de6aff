namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// When each entity's statistics may be published again: at most once per interval (wall clock). An entity that changes
/// sooner is owed a publication, made when it falls due with its statistics as they are then — so that an entity that
/// changes every second publishes once per interval, not once per change, and the statistics outputs of a tick stay bounded
/// by the interval rather than growing with the number of entities that changed. A change of status is published at once.
/// </summary>
internal sealed class PublicationSchedule<TKey>(long intervalMs) where TKey : notnull
{
    private readonly Dictionary<TKey, (long AtMs, string? Status)> _published = [];
    private readonly PriorityQueue<TKey, long> _owed = new();
    private readonly HashSet<TKey> _owing = [];

    public int Owed => _owing.Count;

    /// <summary>Entities whose last publication is remembered.</summary>
    public int Remembered => _published.Count;

    /// <summary>
    /// Whether <paramref name="key"/>, which changed, is published now (first time, interval over, or another status than it
    /// was last published with; the publication is recorded); if not, it is owed.
    /// </summary>
    public bool Publish(TKey key, long nowMs, string? status)
    {
        if (_published.TryGetValue(key, out var last) && nowMs - last.AtMs < intervalMs && last.Status == status)
        {
            if (_owing.Add(key)) _owed.Enqueue(key, last.AtMs + intervalMs);
            return false;
        }
        _published[key] = (nowMs, status);
        _owing.Remove(key); // published before its owed turn: the turn is skipped when it comes
        return true;
    }

    /// <summary>Owed since before this schedule existed (a publication its partition's previous owner had not made): due now.</summary>
    public void Owe(TKey key)
    {
        if (_owing.Add(key)) _owed.Enqueue(key, long.MinValue);
    }

    /// <summary>The owed entities due by <paramref name="nowMs"/>, taken off the schedule (publish each with <see cref="Publish"/>).</summary>
    public List<TKey> TakeDue(long nowMs)
    {
        var due = new List<TKey>();
        while (_owed.TryPeek(out var key, out var at) && at <= nowMs)
        {
            _owed.Dequeue();
            if (_owing.Remove(key)) due.Add(key);
        }
        return due;
    }

    /// <summary>
    /// Forgets the publications older than the interval, which no longer hold anything back (an entity without one is
    /// published at its next change, as it would be anyway): what is kept is bounded by the entities that changed within the
    /// last interval, not by every entity ever published. Runs over them all: call it now and then, not at every tick.
    /// </summary>
    public void ForgetPast(long nowMs)
    {
        foreach (var (key, last) in _published)
            if (nowMs - last.AtMs >= intervalMs && !_owing.Contains(key)) _published.Remove(key);
    }

    /// <summary>The entity is gone (dropped by the bound on dimensions): nothing is owed to it.</summary>
    public void Forget(TKey key)
    {
        _published.Remove(key);
        _owing.Remove(key);
    }
}
