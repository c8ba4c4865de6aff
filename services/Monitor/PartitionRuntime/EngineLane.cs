using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ReputationMonitor.Engine;

namespace ReputationMonitor.PartitionRuntime;

/// <summary>
/// Where the partition processor's engines run: on the consumer's thread (<c>inline</c>), or on a thread of their own
/// that takes the parsed records in batches, so parsing and the engines use two cores
/// (<c>Kafka:PartitionThreads = 2</c>). Everything that touches an engine — records, ticks, state flushes, partitions
/// coming and going — runs on the lane, in the order it was handed over; <see cref="Run"/> is the barrier the consumer's
/// thread waits on (everything handed over before it has been processed, then the action ran).
/// </summary>
public sealed class EngineLane<TTask> : IDisposable
{
    /// <summary>A batch of this size is handed over at once; below it, when the consumer has nothing more ready.</summary>
    private const int BatchSize = 128;

    private readonly Action<Work> _process;
    private readonly Action _tick;
    private readonly long _tickIntervalMs;
    private readonly BlockingCollection<object>? _queue;
    private readonly Thread? _thread;
    private Work[] _batch = new Work[BatchSize];
    private int _count;
    private long _nextTick;
    private volatile ExceptionDispatchInfo? _failure;

    /// <summary>One parsed record for an engine.</summary>
    public readonly record struct Work(TTask Task, StreamInput Input, Confluent.Kafka.Headers? Headers, string Topic);

    private sealed class Barrier(Action action)
    {
        public Action Action { get; } = action;
        public ManualResetEventSlim Done { get; } = new();
    }

    public EngineLane(bool ownThread, long tickIntervalMs, Action<Work> process, Action tick)
    {
        _process = process;
        _tick = tick;
        _tickIntervalMs = tickIntervalMs;
        _nextTick = Environment.TickCount64 + tickIntervalMs;
        if (!ownThread) return;
        // Bounded: the consumer waits when the engines are this far behind (4 × 128 records; more in flight would only keep
        // more objects alive through gen-0 collections).
        _queue = new BlockingCollection<object>(boundedCapacity: 4);
        _thread = new Thread(Loop) { Name = "engine-lane", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Records are waiting to be handed over: the consumer should hand them over rather than wait for more.</summary>
    public bool HasPending => _count > 0;

    public void Add(in Work work)
    {
        if (_queue is null)
        {
            _process(work);
            return;
        }
        _batch[_count++] = work;
        if (_count == BatchSize) Flush();
    }

    /// <summary>Hands the records gathered so far to the lane.</summary>
    public void Flush()
    {
        ThrowIfFailed();
        if (_queue is null || _count == 0) return;
        var batch = _count == BatchSize ? _batch : _batch[.._count];
        if (_count == BatchSize) _batch = new Work[BatchSize];
        else Array.Clear(_batch, 0, _count);
        _count = 0;
        _queue.Add(batch);
    }

    /// <summary>Inline: the tick when due (the lane's own thread ticks by itself).</summary>
    public void TickIfDue()
    {
        if (_queue is null) Tick();
    }

    /// <summary>Runs <paramref name="action"/> on the lane after everything handed over before it, and waits for it.</summary>
    public void Run(Action action)
    {
        Flush();
        if (_queue is null)
        {
            action();
            return;
        }
        var barrier = new Barrier(action);
        _queue.Add(barrier);
        barrier.Done.Wait();
        barrier.Done.Dispose();
        ThrowIfFailed();
    }

    private void Tick()
    {
        var now = Environment.TickCount64;
        if (now < _nextTick) return;
        _tick();
        _nextTick = now + _tickIntervalMs;
    }

    private void Loop()
    {
        while (!_queue!.IsCompleted)
        {
            // Idle, the lane still ticks: statistics are published and rules run on time without traffic.
            if (!_queue.TryTake(out var item, (int)Math.Clamp(_nextTick - Environment.TickCount64, 0, 1000)))
            {
                if (_failure is null) Guard(Tick);
                continue;
            }
            try
            {
                // After a failure nothing more runs; barriers are still released so the consumer's thread sees it.
                if (_failure is null)
                {
                    if (item is Work[] batch)
                        foreach (var work in batch) _process(work);
                    else ((Barrier)item).Action();
                    Tick();
                }
            }
            catch (Exception e)
            {
                _failure ??= ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                (item as Barrier)?.Done.Set();
            }
        }
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
        }
    }

    private void ThrowIfFailed() => _failure?.Throw();

    public void Dispose()
    {
        if (_queue is null) return;
        _queue.CompleteAdding();
        _thread!.Join();
        _queue.Dispose();
    }
}
