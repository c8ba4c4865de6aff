using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>One by-account partition held by this instance (Kafka Streams' <c>StreamTask</c>): its restored state, its
/// engine, and where the engine's outputs go.</summary>
public sealed class EngineTask
{
    private readonly int _partition;
    private readonly Topics _topics;
    private readonly RecordCollector _collector;
    private readonly string _changelog;

    public EngineTask(int partition, ChangeloggedEntries entries, ReputationEngineSettings settings, RecordCollector collector)
    {
        _partition = partition;
        _topics = settings.Topics;
        _collector = collector;
        _changelog = _topics.Changelog(Topics.StateStore);
        Entries = entries;
        // Ledgers written through: here a put is a dictionary write and the changelog keeps the last value per key until
        // the commit anyway, so holding each changed ledger as a live object until then would only promote it into the
        // older GC generations (longer GC pauses, a larger heap, more bytes per message, nothing gained in throughput).
        // Under Streamiz a put is a changelog record, so it keeps writing behind.
        Engine = new ReputationEngine(settings, entries, ledgersWriteThrough: true);
    }

    public ChangeloggedEntries Entries { get; }
    public ReputationEngine Engine { get; }

    /// <param name="headers">The record's headers and <paramref name="topic"/>: a dead letter keeps them and names it.</param>
    public void Process(StreamInput input, Headers? headers, string topic) => Send(Engine.Process(input), headers, topic);

    public void Tick()
    {
        do Send(Engine.Tick(), null, _topics.RepartitionTopic);
        while (Engine.TickInProgress);
    }

    /// <summary>The engine's changed state into the entries, and the entries' changes to the changelog partition.</summary>
    public void Flush()
    {
        Engine.FlushState();
        Entries.DrainChanges((key, value) => _collector.Send(_changelog, Encoding.UTF8.GetBytes(key), value, null, _partition));
    }

    private void Send(IReadOnlyList<EngineOutput> outputs, Headers? headers, string topic)
    {
        foreach (var (key, output) in outputs)
            _collector.Send(OutputTable.Topic(output, _topics), Encoding.UTF8.GetBytes(key), OutputTable.Encode(output),
                output.DeadLetterReason is { } reason ? DeadLetterHeaders.Create(headers, reason, topic) : null);
    }
}
