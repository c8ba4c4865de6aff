using Streamiz.Kafka.Net.State;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>The engine's entries in a Streamiz key-value store (which changelogs them).</summary>
public sealed class StreamizStateEntries(IKeyValueStore<string, byte[]> store) : IStateEntries
{
    public byte[]? Get(string key) => store.Get(key);
    public void Put(string key, byte[] value) => store.Put(key, value);
    public void Delete(string key) => store.Delete(key);
    public IEnumerable<KeyValuePair<string, byte[]>> All() => store.All();
}
