using System.Collections.Concurrent;

namespace ReputationMonitor.Api;

/// <summary>
/// Remembers which keys were used: the last use of each issued key (flushed to <c>api_keys.last_used_at</c>)
/// and, at most once an hour per key, an audit record of its use (which request), so that the audit log shows
/// every key that acted without one row per request.
/// </summary>
public sealed class ApiKeyUsage
{
    public static readonly TimeSpan AuditEvery = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Guid, DateTime> _lastUsed = new();
    private readonly ConcurrentDictionary<string, DateTime> _lastAudited = new();
    private readonly ConcurrentQueue<KeyUse> _toAudit = new();

    public sealed record KeyUse(string Name, string Role, string Method, string Path, DateTime At);

    public void Record(AcceptedKey key, string method, string path, DateTime at)
    {
        if (key.Id is { } id) _lastUsed[id] = at;
        var audited = _lastAudited.GetOrAdd(key.Name, DateTime.MinValue);
        if (at - audited >= AuditEvery && _lastAudited.TryUpdate(key.Name, at, audited))
            _toAudit.Enqueue(new KeyUse(key.Name, key.Role, method, path, at));
    }

    /// <summary>Gives back what could not be written (the database was away): kept for the next attempt, never dropped.</summary>
    public void Return(IReadOnlyDictionary<Guid, DateTime> lastUsed, IEnumerable<KeyUse> notAudited)
    {
        foreach (var (id, at) in lastUsed) _lastUsed.AddOrUpdate(id, at, (_, newer) => newer > at ? newer : at);
        foreach (var use in notAudited) _toAudit.Enqueue(use);
    }

    /// <summary>Takes what has been recorded since the last call.</summary>
    public (Dictionary<Guid, DateTime> LastUsed, List<KeyUse> Audit) Drain()
    {
        var lastUsed = new Dictionary<Guid, DateTime>();
        foreach (var id in _lastUsed.Keys)
            if (_lastUsed.TryRemove(id, out var at)) lastUsed[id] = at;
        var audit = new List<KeyUse>();
        while (_toAudit.TryDequeue(out var use)) audit.Add(use);
        return (lastUsed, audit);
    }
}
