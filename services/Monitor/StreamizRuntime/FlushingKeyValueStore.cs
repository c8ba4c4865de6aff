using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.State.Enumerator;
using Streamiz.Kafka.Net.Table;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>
/// A key-value store that lets its owner write what it holds in memory just before the store is flushed. Streamiz
/// flushes every store, then the producer, then commits the offsets: whatever <see cref="BeforeFlush"/> writes is in
/// the changelog before the records that produced it are committed. That is what lets the transformer keep its
/// aggregates as live objects and serialize each changed one once per commit instead of once per record.
/// </summary>
public sealed class FlushingKeyValueStore(IKeyValueStore<string, byte[]> inner) : IKeyValueStore<string, byte[]>
{
    public Action? BeforeFlush { get; set; }

    public string Name => inner.Name;
    public bool Persistent => inner.Persistent;
    public bool IsLocally => inner.IsLocally;
    public bool IsOpen => inner.IsOpen;

    // The inner stores register the root (this) with the task's state manager, so its flushes come here first.
    public void Init(ProcessorContext context, IStateStore root) => inner.Init(context, this);

    public void Flush()
    {
        BeforeFlush?.Invoke();
        inner.Flush();
    }

    public void Close() => inner.Close();
    public byte[] Get(string key) => inner.Get(key);
    public IKeyValueEnumerator<string, byte[]> Range(string from, string to) => inner.Range(from, to);
    public IKeyValueEnumerator<string, byte[]> ReverseRange(string from, string to) => inner.ReverseRange(from, to);
    public IEnumerable<KeyValuePair<string, byte[]>> All() => inner.All();
    public IEnumerable<KeyValuePair<string, byte[]>> ReverseAll() => inner.ReverseAll();
    public long ApproximateNumEntries() => inner.ApproximateNumEntries();
    public void Put(string key, byte[] value) => inner.Put(key, value);
    public byte[] PutIfAbsent(string key, byte[] value) => inner.PutIfAbsent(key, value);
    public void PutAll(IEnumerable<KeyValuePair<string, byte[]>> entries) => inner.PutAll(entries);
    public byte[] Delete(string key) => inner.Delete(key);
}

/// <summary>Builds a <see cref="FlushingKeyValueStore"/> around a changelogged in-memory store (no cache: the owner already writes once per commit).</summary>
public sealed class FlushingStoreBuilder(IStoreBuilder<IKeyValueStore<string, byte[]>> inner) : IStoreBuilder
{
    public bool IsWindowStore => false;
    public long RetentionMs => inner.RetentionMs;
    public IDictionary<string, string> LogConfig => inner.LogConfig;
    public bool LoggingEnabled => inner.LoggingEnabled;
    public string Name => inner.Name;
    public CacheSize CacheSize => inner.CacheSize;
    public IStateStore Build(IStreamConfig config) => new FlushingKeyValueStore(inner.Build(config));
}
