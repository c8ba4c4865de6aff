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

    /// <summary>The entity is gone (dropped by the bound on dimensions): nothing is owed to it.</summary>
    public void Forget(TKey key)
    {
        _published.Remove(key);
        _owing.Remove(key);
    }
}
