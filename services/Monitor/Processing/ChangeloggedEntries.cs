namespace ReputationMonitor.Processing;

/// <summary>
/// One partition's state for the partition processor: a dictionary, plus the keys changed since the last commit, which
/// go to the changelog (last value per key; a deletion as a tombstone) when the processor commits. Keys and values are
/// those Streamiz's store holds and logs, so either runtime restores the other's changelog.
/// </summary>
public sealed class ChangeloggedEntries : IStateEntries
{
    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _changed = new(StringComparer.Ordinal);

    public int Count => _entries.Count;
    public int Changed => _changed.Count;

    public byte[]? Get(string key) => _entries.GetValueOrDefault(key);

    public void Put(string key, byte[] value)
    {
        _entries[key] = value;
        _changed[key] = value;
    }

    public void Delete(string key)
    {
        if (_entries.Remove(key)) _changed[key] = null;
    }

    public IEnumerable<KeyValuePair<string, byte[]>> All() => _entries;

    /// <summary>A changelog record read back while the partition is restored: applied, not logged again.</summary>
    public void Restore(string key, byte[]? value)
    {
        if (value is null) _entries.Remove(key);
        else _entries[key] = value;
    }

    /// <summary>The changes since the last call, for the changelog; the list is then empty.</summary>
    public void DrainChanges(Action<string, byte[]?> write)
    {
        foreach (var (key, value) in _changed) write(key, value);
        _changed.Clear();
    }
}
