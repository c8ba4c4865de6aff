using System.Diagnostics;
using System.Globalization;
using ReputationMonitor.Configuration;
using ReputationMonitor.Kafka;
using ReputationMonitor.Engine;

namespace ReputationMonitor.EndToEnd;

public sealed record BenchOptions(int Messages, int Accounts, int Runs, string[] Pipelines, int LatencySeconds, int Window, TimeSpan Deadline,
    int Providers, int SoakMinutes, int SoakRate, TimeSpan SnapshotInterval, int StreamThreads, StreamRuntime Runtime = StreamRuntime.Streamiz,
    int WarmupMessages = 0, int SpanSeconds = 0);

public sealed record PhaseResult(string Pipeline, int Run, long Records, double Seconds, double CpuSeconds, long PeakWorkingSetMb, long PeakHeapMb, long HeldBytes, bool Completed,
    double GcPauseSeconds = 0)
{
    public double PerSecond => Records / Seconds;
}

/// <summary>Runs each pipeline over the same records <see cref="BenchOptions.Runs"/> times, each on a fresh embedded broker, and prints medians.</summary>
public sealed class BenchRunner(BenchOptions o, TextWriter output, TextWriter progress)
{
    private Dictionary<string, Func<IPipeline>> Known => new()
    {
        ["raw"] = () => new RawConsumerPipeline(),
        ["relay"] = () => new ConsumeProduceCeilingPipeline(),
        ["monitor"] = () => new MonitorPipeline(snapshotInterval: o.SnapshotInterval, streamThreads: o.StreamThreads),
        ["partition"] = () => new MonitorPipeline(snapshotInterval: o.SnapshotInterval, runtime: StreamRuntime.Partition),
        // Every record through the by-account topic, as with several instances (each holds 1/n of the partitions).
        ["partition-hop"] = () => new MonitorPipeline(snapshotInterval: o.SnapshotInterval, runtime: StreamRuntime.Partition, skipRepartitionWhenLocal: false),
        // Consume, parse and engines on one thread (Kafka:PartitionThreads = 1).
        ["partition-1t"] = () => new MonitorPipeline(snapshotInterval: o.SnapshotInterval, runtime: StreamRuntime.Partition, partitionThreads: 1),
        // Every changed entity's statistics at every tick (Reputation:EntitySnapshotInterval = 0).
        ["partition-every"] = () => new MonitorPipeline(snapshotInterval: o.SnapshotInterval, runtime: StreamRuntime.Partition, entitySnapshotInterval: TimeSpan.Zero),
        ["naive"] = () => new NaiveStreamizPipeline(),
    };

    private static readonly Dictionary<string, string> Names = new()
    {
        ["raw"] = RawConsumerPipeline.DisplayName, ["relay"] = ConsumeProduceCeilingPipeline.DisplayName,
        ["monitor"] = MonitorPipeline.DisplayName, ["partition"] = MonitorPipeline.PartitionDisplayName,
        ["partition-hop"] = MonitorPipeline.PartitionHopDisplayName, ["partition-1t"] = MonitorPipeline.PartitionOneThreadDisplayName,
        ["partition-every"] = MonitorPipeline.PartitionEveryChangeDisplayName, ["naive"] = NaiveStreamizPipeline.DisplayName,
    };

    /// <summary>Every timed run of the last <see cref="Run"/>.</summary>
    public List<PhaseResult> Results { get; } = [];

    /// <summary>The latency runs' p99 (ms), by pipeline.</summary>
    public Dictionary<string, double> P99Ms { get; } = [];

    public int Run()
    {
        foreach (var p in o.Pipelines)
            if (!Known.ContainsKey(p))
            {
                progress.WriteLine($"--pipelines: unknown '{p}' (known: {string.Join(", ", Known.Keys)})");
                return 2;
            }
        if (o.SoakMinutes > 0) return new Soak(o, output, progress).Run();
        output.WriteLine($"# end-to-end benchmark: {o.Messages:N0} messages x 3 records, {o.Accounts} accounts, " +
                         $"{(o.Providers > 0 ? o.Providers.ToString(CultureInfo.InvariantCulture) : "all")} providers, {o.Runs} run(s), snapshot interval {o.SnapshotInterval.TotalSeconds:N0} s, {o.StreamThreads} stream thread(s), " +
                         $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var data = BenchData.Generate(o.Messages, o.Accounts, seed: 42, o.Providers, o.SpanSeconds);
        output.WriteLine($"data: {data.Records.Length:N0} records, {data.Bytes / 1024 / 1024:N0} MB, mean {data.Bytes / data.Records.Length:N0} B/record");
        var results = Results;
        if (o.WarmupMessages > 0)
        {
            // The JIT's tiers and dynamic PGO settle during a pipeline's first seconds, and on 2 busy cores the
            // background compiler gets little time: without this the first pipeline's run 1 measured ~40 % slow.
            var warm = BenchData.Generate(o.WarmupMessages, o.Accounts, seed: 1, o.Providers, o.SpanSeconds);
            foreach (var name in o.Pipelines)
            {
                var r = RunPhase(Known[name](), warm, 0);
                progress.WriteLine($"warm-up {r.Pipeline}: {r.PerSecond:N0} records/s (not counted)");
            }
        }
        for (var run = 1; run <= o.Runs; run++)
            foreach (var name in o.Pipelines)
            {
                var r = RunPhase(Known[name](), data, run);
                results.Add(r);
                output.WriteLine($"run {run} {r.Pipeline,-16} {r.PerSecond,12:N0} records/s  {r.Seconds,7:N2} s  {r.CpuSeconds / r.Seconds:N2} cores  peak WS {r.PeakWorkingSetMb} MB  " +
                                 $"peak heap {r.PeakHeapMb} MB  held {r.HeldBytes / 1024 / 1024} MB  GC paused {r.GcPauseSeconds / r.Seconds:P0}" + (r.Completed ? "" : "  ** DID NOT FINISH **"));
            }
        var medians = results.GroupBy(r => r.Pipeline).ToDictionary(g => g.Key, g => Median(g.Select(r => r.PerSecond)));
        double? MedianOf(string option) => medians.TryGetValue(Names[option], out var v) ? v : null;
        output.WriteLine();
        output.WriteLine("| pipeline | median records/s | runs | CPU (cores, incl. the producer) | peak working set | held after (managed) |");
        output.WriteLine("|---|---:|---|---:|---:|---:|");
        foreach (var g in results.GroupBy(r => r.Pipeline))
            output.WriteLine($"| {g.Key} | {medians[g.Key]:N0} | {string.Join(" / ", g.Select(r => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | " +
                             $"{Median(g.Select(r => r.CpuSeconds / r.Seconds)):N2} | " +
                             $"{g.Max(r => r.PeakWorkingSetMb)} MB | {g.Max(r => r.HeldBytes) / 1024 / 1024} MB |");
        var latencyRuns = new List<(StreamRuntime Runtime, double Rate)>();
        foreach (var key in new[] { "monitor", "partition", "partition-1t", "partition-hop" })
        {
            if (MedianOf(key) is not { } monitor) continue;
            var name = Names[key];
            if (MedianOf("naive") is { } naive) output.WriteLine($"{name} / naive Streamiz = {monitor / naive:N2} x (target >= 3)");
            if (MedianOf("relay") is { } relay) output.WriteLine($"{name} / consume→produce = {monitor / relay:N3} x (goal >= 0.5)");
            if (MedianOf("raw") is { } raw) output.WriteLine($"{name} / raw consume = {monitor / raw:N3} x");
            var held = results.Where(r => r.Pipeline == name).Select(r => (double)r.HeldBytes).ToList();
            output.WriteLine($"{name} state held per message (ledger + its share of aggregates, managed heap): {Median(held) / o.Messages:N0} B (target <= 200)");
            if (key is "monitor" or "partition") latencyRuns.Add((key == "partition" ? StreamRuntime.Partition : StreamRuntime.Streamiz, monitor));
        }
        if (o.LatencySeconds > 0)
            foreach (var (runtime, rate) in latencyRuns) Latency(runtime, rate * 0.5);
        return results.All(r => r.Completed) ? 0 : 1;
    }

    private PhaseResult RunPhase(IPipeline pipeline, BenchData data, int run)
    {
        using var broker = new EmbeddedKafkaBroker();
        var topics = new BenchTopics($"bench{run}-{pipeline.Name.Replace(' ', '-').Replace("→", "-")}-{Guid.NewGuid():N}"[..40]);
        var before = MemorySampler.SettledHeap();
        using var cts = new CancellationTokenSource();
        using var sampler = new MemorySampler();
        topics.Provision(broker.BootstrapServers);
        pipeline.Start(broker.BootstrapServers, topics);
        var pacer = new Pacer(broker.BootstrapServers, topics, o.Window);
        // The ceilings read faster than one producer writes: they read chunks produced beforehand (with the reader
        // held), and only the reading is timed. The others are slower than the producer: it runs alongside, closed loop.
        var chunked = pipeline as RawConsumerPipeline;
        var producing = chunked is null ? Task.Run(() => pacer.ProduceAll(data, () => pipeline.Processed, cts.Token)) : Task.CompletedTask;
        if (chunked is not null) return ReadInChunks(chunked, pacer, data, run, before, sampler);
        var total = data.Records.Length;
        var wall = Stopwatch.StartNew();
        Stopwatch? clock = null;
        var cpuAtStart = TimeSpan.Zero;
        var pausedAtStart = TimeSpan.Zero;
        var lastReport = TimeSpan.Zero;
        long startedAt = 0;
        while (wall.Elapsed < o.Deadline)
        {
            var done = pipeline.Processed;
            if (clock is null && done > 0)
            {
                // From the first record processed: group joins and stream start-up are not throughput.
                clock = Stopwatch.StartNew();
                cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                pausedAtStart = GC.GetTotalPauseDuration();
                startedAt = done;
            }
            if (done >= total && (pipeline is not NaiveStreamizPipeline naive || naive.Drained)) break;
            if (wall.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = wall.Elapsed;
                progress.Write($"\r[{pipeline.Name}] {done:N0}/{total:N0} records  {(clock is null ? 0 : (done - startedAt) / clock.Elapsed.TotalSeconds):N0}/s   ");
            }
            Thread.Sleep(5); // polling the counter, with the deadline above
        }
        var seconds = clock?.Elapsed.TotalSeconds ?? double.NaN;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        var gcPause = (GC.GetTotalPauseDuration() - pausedAtStart).TotalSeconds;
        var completed = pipeline.Processed >= total;
        progress.Write("\r" + new string(' ', 80) + "\r");
        var held = MemorySampler.SettledHeap() - before; // the pipeline's state while it is still running
        if (pipeline is MonitorPipeline monitor) progress.WriteLine(monitor.DescribeState());
        cts.Cancel();
        producing.Wait();
        pipeline.Dispose();
        if (pacer.Failed > 0) progress.WriteLine($"{pacer.Failed} records failed to produce");
        return new PhaseResult(pipeline.Name, run, total - startedAt, seconds, cpuSeconds, sampler.PeakWorkingSet / 1024 / 1024, sampler.PeakHeap / 1024 / 1024,
            held, completed, gcPause);
    }

    private PhaseResult ReadInChunks(RawConsumerPipeline pipeline, Pacer pacer, BenchData data, int run, long heapBefore, MemorySampler sampler)
    {
        var timed = new Stopwatch();
        var cpu = TimeSpan.Zero;
        using var producer = Pacer.CreateProducer(pacer.Bootstrap);
        long timedRecords = 0;
        var chunk = pacer.WindowFor(data);
        for (var start = 0; start < data.Records.Length; start += chunk)
        {
            // The first chunk also waits for the group join and assignment: read, not timed.
            var isTimed = start > 0 || data.Records.Length <= chunk;
            var end = Math.Min(data.Records.Length, start + chunk);
            pipeline.Gate.Reset();
            for (var i = start; i < end; i++)
            {
                var r = data.Records[i];
                pacer.Produce(producer, r.IsAttempt ? pacer.Topics.Attempts : pacer.Topics.Events, r.Key, r.Value, null);
            }
            producer.Flush(TimeSpan.FromSeconds(60));
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            if (isTimed) timed.Start();
            pipeline.Gate.Set();
            var until = DateTime.UtcNow + o.Deadline;
            while (pipeline.Processed < end && DateTime.UtcNow < until) Thread.SpinWait(100);
            timed.Stop();
            if (!isTimed) continue;
            timedRecords += end - start;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            progress.Write($"\r[{pipeline.Name}] {pipeline.Processed:N0}/{data.Records.Length:N0} records   ");
        }
        progress.Write("\r" + new string(' ', 80) + "\r");
        var completed = pipeline.Processed >= data.Records.Length;
        var held = MemorySampler.SettledHeap() - heapBefore;
        pipeline.Dispose();
        return new PhaseResult(pipeline.Name, run, timedRecords, timed.Elapsed.TotalSeconds, cpu.TotalSeconds, sampler.PeakWorkingSet / 1024 / 1024,
            sampler.PeakHeap / 1024 / 1024, held, completed);
    }

    private void Latency(StreamRuntime runtime, double recordsPerSecond)
    {
        var records = (int)(recordsPerSecond * o.LatencySeconds);
        var data = BenchData.Generate(Math.Max(1, records / 3), o.Accounts, seed: 7, o.Providers);
        using var broker = new EmbeddedKafkaBroker();
        var topics = new BenchTopics($"latency-{Guid.NewGuid():N}"[..20]);
        using var pipeline = new MonitorPipeline(snapshotInterval: o.SnapshotInterval, streamThreads: o.StreamThreads, runtime: runtime);
        topics.Provision(broker.BootstrapServers);
        pipeline.Start(broker.BootstrapServers, topics);
        var pacer = new Pacer(broker.BootstrapServers, topics, o.Window);
        using var probe = new LatencyProbe(broker.BootstrapServers, topics, pacer);
        probe.Start();
        // Warm up until the stream has its partitions, so start-up is not counted as latency.
        using (var warm = Pacer.CreateProducer(broker.BootstrapServers))
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            while (pipeline.Processed == 0 && DateTime.UtcNow < until)
            {
                probe.MaybeProbe(warm);
                warm.Flush(TimeSpan.FromSeconds(5));
                Thread.Sleep(100);
            }
            probe.Drain(TimeSpan.FromSeconds(30));
            probe.Histogram.Reset();
        }
        var clock = Stopwatch.StartNew();
        pacer.ProduceAtRate(data, recordsPerSecond, (p, _) => probe.MaybeProbe(p), CancellationToken.None);
        var produceSeconds = clock.Elapsed.TotalSeconds;
        probe.Drain(TimeSpan.FromSeconds(60));
        var h = probe.Histogram;
        P99Ms[pipeline.Name] = h.GetValueAtPercentile(99) / 1000.0; // the probe records microseconds
        output.WriteLine($"latency of {pipeline.Name} at {recordsPerSecond:N0} records/s (50 % of its median) for {produceSeconds:N0} s: " +
                         $"{h.TotalCount} probes, p50 {Ms(h.GetValueAtPercentile(50))} ms, p99 {Ms(h.GetValueAtPercentile(99))} ms, " +
                         $"max {Ms(h.GetValueAtPercentile(100))} ms (target p99 < 2000 ms); unanswered {probe.Unanswered}; monitor processed {pipeline.Processed:N0}");
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString("N1", CultureInfo.InvariantCulture);

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
