namespace ReputationMonitor.Engine.State;

/// <summary>
/// The key-value entries one partition's state lives in (string keys, encoded values), changelogged by whoever hosts
/// the engine: a Streamiz store, or the partition processor's own.
/// </summary>
public interface IStateEntries
{
    byte[]? Get(string key);
    void Put(string key, byte[] value);
    void Delete(string key);
    IEnumerable<KeyValuePair<string, byte[]>> All();
}
