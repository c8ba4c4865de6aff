using System.Diagnostics;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Kafka;
using ReputationMonitor.Simulation;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// The monitor at a steady rate for minutes, with its memory sampled (after a full collection) every 30 s. Windows
/// and ledger retention are scaled down (4 min / 2 min / 2 min) so that every bounded structure — window buckets,
/// ledgers kept for deduplication — reaches its steady state within the first minutes: from then on memory must be
/// flat. Traffic is generated as it is produced (event time = wall time), not held in memory.
/// </summary>
public sealed class Soak(BenchOptions o, TextWriter output, TextWriter progress)
{
    public int Run()
    {
        var windows = new WindowOptions
        {
            Window = TimeSpan.FromMinutes(4), ShortWindow = TimeSpan.FromMinutes(2), BucketSize = TimeSpan.FromSeconds(10), RollupSize = TimeSpan.FromMinutes(1),
        };
        var join = new JoinOptions { Retention = TimeSpan.FromMinutes(2), Grace = TimeSpan.FromMinutes(1) };
        output.WriteLine($"# soak: {o.SoakRate:N0} records/s for {o.SoakMinutes} min, {o.Accounts} accounts; windows 4 min (10 s buckets), " +
                         "short window 2 min, ledger retention 2 min");
        using var broker = new EmbeddedKafkaBroker();
        var topics = new BenchTopics($"soak-{Guid.NewGuid():N}"[..20]);
        topics.Provision(broker.BootstrapServers);
        using var pipeline = new MonitorPipeline(windows, join, o.SnapshotInterval, o.StreamThreads, o.Runtime);
        pipeline.Start(broker.BootstrapServers, topics);
        var pacer = new Pacer(broker.BootstrapServers, topics, o.Window);
        var duration = TimeSpan.FromMinutes(o.SoakMinutes);
        var simulator = new TrafficSimulator(SimulationScenario.Steady, 11, o.Accounts, DateTimeOffset.UtcNow, o.SoakRate / 3.0, duration, o.Providers);
        long produced = 0;
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(() =>
        {
            using var producer = Pacer.CreateProducer(broker.BootstrapServers);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration && !stop.IsCancellationRequested)
            {
                while (Interlocked.Read(ref produced) < clock.Elapsed.TotalSeconds * o.SoakRate)
                    foreach (var r in simulator.Next().Records)
                    {
                        pacer.Produce(producer, r.IsAttempt ? topics.Attempts : topics.Events, System.Text.Encoding.UTF8.GetBytes(r.MessageId),
                            System.Text.Encoding.UTF8.GetBytes(r.Json), null);
                        Interlocked.Increment(ref produced);
                    }
                Thread.Sleep(5); // pacing, not synchronisation
            }
            producer.Flush(TimeSpan.FromSeconds(30));
        });
        var samples = new List<(double Minutes, long HeapMb, long WorkingSetMb, long Lag)>();
        var wall = Stopwatch.StartNew();
        output.WriteLine("| minute | processed | lag (records) | managed heap after GC | working set |");
        output.WriteLine("|---:|---:|---:|---:|---:|");
        while (wall.Elapsed < duration)
        {
            Thread.Sleep(TimeSpan.FromSeconds(30)); // the sampling period of a soak, not synchronisation
            var heap = MemorySampler.SettledHeap() / 1024 / 1024;
            var ws = MemorySampler.WorkingSet() / 1024 / 1024;
            var lag = Interlocked.Read(ref produced) - pipeline.Processed;
            samples.Add((wall.Elapsed.TotalMinutes, heap, ws, lag));
            output.WriteLine($"| {wall.Elapsed.TotalMinutes:N1} | {pipeline.Processed:N0} | {lag:N0} | {heap} MB | {ws} MB |");
        }
        stop.Cancel();
        producing.Wait();
        var steady = samples.Where(s => s.Minutes >= 5).ToList();
        if (steady.Count >= 2)
        {
            var (first, last) = (steady[0], steady[^1]);
            output.WriteLine($"after the warm-up (minute {first.Minutes:N1} → {last.Minutes:N1}): managed heap {first.HeapMb} → {last.HeapMb} MB " +
                             $"({(last.HeapMb - first.HeapMb) / (last.Minutes - first.Minutes):+0.0;-0.0} MB/min), " +
                             $"working set {first.WorkingSetMb} → {last.WorkingSetMb} MB, max lag {steady.Max(s => s.Lag):N0} records");
        }
        progress.WriteLine();
        return 0;
    }
}
