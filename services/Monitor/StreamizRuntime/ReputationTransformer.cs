using ReputationMonitor.Engine;
using ReputationMonitor.Kafka;
using Streamiz.Kafka.Net.Processors.Public;
using ReputationMonitor.Engine.Processing;

namespace ReputationMonitor.StreamizRuntime;

/// <summary>Hosts a <see cref="ReputationEngine"/> in a Streamiz task: its state in the task's store, its outputs forwarded.</summary>
public sealed class ReputationTransformer : ITransformer<byte[], StreamInput, string, StreamOutput>
{
    private readonly ReputationEngineSettings _settings;
    private ProcessorContext<string, StreamOutput> _context = null!;
    private ReputationEngine _engine = null!;

    /// <summary>Streamiz's TransformerBuilder makes an unused prototype with <c>new()</c>; each task gets
    /// an instance built with the parameters given to the builder.</summary>
    public ReputationTransformer() : this(new ReputationEngineSettings { Topics = new Configuration.KafkaOptions().AllTopics() }) { }

    public ReputationTransformer(ReputationEngineSettings settings) => _settings = settings;

    public void Init(ProcessorContext<string, StreamOutput> context)
    {
        _context = context;
        var store = (FlushingKeyValueStore)context.GetStateStore(Topics.StateStore);
        _engine = new ReputationEngine(_settings, new StreamizStateEntries(store));
        store.BeforeFlush = _engine.FlushState;
        context.Schedule(_settings.SnapshotInterval, PunctuationType.PROCESSING_TIME, _ =>
        {
            do Forward(_engine.Tick(), null);
            while (_engine.TickInProgress);
        });
    }

    public Record<string, StreamOutput>? Process(Record<byte[], StreamInput> record)
    {
        if (record.Value is { UnreadableReason: { } why } unreadable)
        {
            var (headers, value) = DeadLetter.Prepare(record.Headers, record.TopicPartitionOffset, unreadable.UnreadableBytes ?? [],
                StreamInput.InvalidRecord, why, _settings.Topics.RepartitionTopic);
            _context.SetHeaders(headers);
            _context.Forward(System.Text.Encoding.UTF8.GetString(record.Key ?? []), new StreamOutput { DeadLetter = value });
        }
        else if (record.Value is { } input) Forward(_engine.Process(input), record.Headers);
        return null;
    }

    /// <param name="headers">The headers of the record that caused the outputs: a dead letter keeps them.</param>
    private void Forward(IReadOnlyList<EngineOutput> outputs, Confluent.Kafka.Headers? headers)
    {
        foreach (var (key, output) in outputs)
        {
            if (output.DeadLetterReason is { } reason)
                _context.SetHeaders(DeadLetterHeaders.Create(headers, reason, _settings.Topics.RepartitionTopic));
            _context.Forward(key, output);
        }
    }

    public void Close() => _engine?.Close();
}
