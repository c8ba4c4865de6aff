using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.State.Enumerator;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Tests.Support;

/// <summary>A store for unit tests of the typed view over it (<see cref="Streaming.ReputationStateStore"/>): a sorted dictionary, no changelog.</summary>
internal sealed class DictionaryKeyValueStore : IKeyValueStore<string, byte[]>
{
    public SortedDictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

    public string Name => "test";
    public bool Persistent => false;
    public bool IsLocally => true;
    public bool IsOpen => true;
    public void Init(ProcessorContext context, IStateStore root) { }
    public void Flush() { }
    public void Close() { }
    public byte[] Get(string key) => Entries.GetValueOrDefault(key)!;
    public IKeyValueEnumerator<string, byte[]> Range(string from, string to) => throw new NotSupportedException();
    public IKeyValueEnumerator<string, byte[]> ReverseRange(string from, string to) => throw new NotSupportedException();
    public IEnumerable<KeyValuePair<string, byte[]>> All() => Entries.ToList();
    public IEnumerable<KeyValuePair<string, byte[]>> ReverseAll() => Entries.Reverse().ToList();
    public long ApproximateNumEntries() => Entries.Count;
    public void Put(string key, byte[] value) => Entries[key] = value;
    public byte[] PutIfAbsent(string key, byte[] value) => Entries.TryAdd(key, value) ? null! : Entries[key];
    public void PutAll(IEnumerable<KeyValuePair<string, byte[]>> entries) { foreach (var (k, v) in entries) Entries[k] = v; }
    public byte[] Delete(string key) => Entries.Remove(key, out var v) ? v : null!;
}
