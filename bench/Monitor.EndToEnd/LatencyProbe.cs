using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using HdrHistogram;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// Event-to-decision latency under load: every <see cref="Interval"/> an operator pause or resume for a probe account
/// rides the same topics, repartition and task queue as the traffic; the latency is from its produce to its decision
/// being read back from <c>reputation.actions</c> (matched by command id), recorded in an HdrHistogram.
/// </summary>
public sealed class LatencyProbe(string bootstrap, BenchTopics topics, Pacer pacer) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, long> _sent = new();
    private readonly LongHistogram _micros = new(TimeStamp.Seconds(60), 3);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _reader;
    private int _probe;
    private long _nextProbeTicks;

    public LongHistogram Histogram => _micros;

    public void Start()
    {
        var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = $"{topics.Prefix}-probe", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
            FetchWaitMaxMs = 10, // the probe reader must not add its own long-poll wait to what it measures
        }).Build();
        consumer.Subscribe(topics.Actions);
        _reader = new Thread(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var r = consumer.Consume(100);
                    if (r?.Message?.Value is null) continue;
                    var now = System.Diagnostics.Stopwatch.GetTimestamp();
                    var decision = JsonSerializer.Deserialize(r.Message.Value, CoreJsonContext.Default.Decision);
                    if (decision?.CommandId is { } id && _sent.TryRemove(id, out var sentAt))
                        lock (_micros) _micros.RecordValue(Math.Max(1, (now - sentAt) * 1_000_000 / System.Diagnostics.Stopwatch.Frequency));
                }
            }
            finally
            {
                consumer.Close();
                consumer.Dispose();
            }
        }) { IsBackground = true, Name = "latency probe" };
        _reader.Start();
    }

    /// <summary>Called by the producing loop after each record: sends a probe when one is due.</summary>
    public void MaybeProbe(IProducer<byte[], byte[]> producer)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (now < _nextProbeTicks) return;
        _nextProbeTicks = now + (long)(Interval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var n = _probe++;
        var command = new OperatorCommand
        {
            CommandId = $"probe-{n}", Type = n % 2 == 0 ? OperatorCommand.Pause : OperatorCommand.Resume, Scope = "account",
            Entity = "999999999999", Actor = "bench", Reason = "latency probe", At = DateTimeOffset.UtcNow,
        };
        _sent[command.CommandId] = System.Diagnostics.Stopwatch.GetTimestamp();
        pacer.Produce(producer, topics.Commands, "999999999999"u8.ToArray(),
            JsonSerializer.SerializeToUtf8Bytes(MonitorPipeline.CommandSignature.Sign(command), CoreJsonContext.Default.OperatorCommand), null);
    }

    /// <summary>Waits (polling, with a deadline) for the decisions of the probes already sent.</summary>
    public void Drain(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!_sent.IsEmpty && DateTime.UtcNow < until) Thread.Sleep(20);
    }

    public int Unanswered => _sent.Count;

    public void Dispose()
    {
        _stop.Cancel();
        _reader?.Join();
        _stop.Dispose();
    }
}
