using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Kafka;
using ReputationMonitor.PartitionRuntime;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// What a partition move costs the instance that takes it: the state of <c>accounts</c> accounts, built by the service's
/// engine over the bench traffic, written to changelog partitions on the embedded broker and restored from them by the
/// partition processor's <see cref="StateRestorer"/>; then the engine started over the restored entries (as a task starts)
/// and every account and dimension decoded once (what their first records after the move pay).
/// The embedded broker keeps ~5 MB per partition and has no compaction, so the state is spread over as many partitions as
/// that takes, each restored in turn as a move restores one: their times add up to that of one partition holding it all.
/// </summary>
public sealed class RestoreBench(int accounts, int messages, TextWriter output)
{
    private const long PartitionBytes = 4_000_000;
    private const int PartitionRecords = 80_000;

    public int Run()
    {
        var settings = new ReputationEngineSettings
        {
            Topics = new Configuration.KafkaOptions().AllTopics(), MaxFutureSkew = TimeSpan.FromDays(3650),
        };
        var state = Build(settings);
        var bytes = state.Sum(e => (long)e.Key.Length + e.Value.Length);
        output.WriteLine($"state of {accounts:N0} accounts after {messages:N0} messages: {state.Count:N0} entries, {bytes / 1e6:N1} MB ({Describe(state)})");

        using var broker = new EmbeddedKafkaBroker();
        var partitions = Write(broker.BootstrapServers, state);
        output.WriteLine($"written to {partitions.Count} changelog partitions of at most {PartitionBytes / 1e6:N0} MB");

        var clock = Stopwatch.StartNew();
        var restored = new List<ChangeloggedEntries>();
        long restoreMs = 0;
        foreach (var topic in partitions.Select(p => p.Topic).Distinct())
        {
            using var restorer = new StateRestorer(new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = broker.BootstrapServers, GroupId = $"{topic}-restore", EnableAutoCommit = false, EnableAutoOffsetStore = false,
                FetchWaitMaxMs = 10,
            }), topic);
            var mine = partitions.Where(p => p.Topic == topic).Select(p => p.Partition).ToList();
            foreach (var p in mine) restorer.Begin(p);
            while (restorer.Pending > 0)
            {
                if (!restorer.TryTake(out var done))
                {
                    Thread.Sleep(5);
                    continue;
                }
                if (done.Failure is not null) throw new InvalidOperationException($"restoring {topic}/{done.Partition} failed", done.Failure);
                restored.Add(done.Entries!);
                restoreMs += done.ElapsedMs;
            }
        }
        var wall = clock.Elapsed;
        var count = restored.Sum(e => e.Count);
        if (count != state.Count) throw new InvalidOperationException($"restored {count:N0} entries of {state.Count:N0}");
        var fixedMs = FixedCostMs(broker.BootstrapServers, state[0]);
        var oneMs = restoreMs - (partitions.Count - 1) * fixedMs;
        output.WriteLine($"restore: {restoreMs / 1000.0:N1} s over the partitions ({wall.TotalSeconds:N1} s with the consumers' start); " +
            $"a partition's fixed cost (one of a single record) {fixedMs} ms; without it {bytes / 1e6 / (oneMs / 1000.0):N1} MB/s, " +
            $"{state.Count / (oneMs / 1000.0):N0} entries/s");

        clock.Restart();
        foreach (var entries in restored) _ = new ReputationEngine(settings, entries, ledgersWriteThrough: true);
        var start = clock.Elapsed;
        output.WriteLine($"engine start over the restored entries (ledgers back into the join): {start.TotalSeconds:N2} s");

        clock.Restart();
        var decoded = 0;
        foreach (var entries in restored)
            foreach (var (key, value) in entries.All())
            {
                if (key.StartsWith(ReputationStateStore.AccountPrefix, StringComparison.Ordinal)) _ = StateCodec.Decode<AccountAggregate>(value);
                else if (key.StartsWith("d/", StringComparison.Ordinal)) _ = StateCodec.Decode<EntityWindows>(value);
                else continue;
                decoded++;
            }
        var touch = clock.Elapsed;
        output.WriteLine($"first touch ({decoded:N0} accounts and dimensions decoded once): {touch.TotalSeconds:N2} s");
        output.WriteLine($"a partition holding these {accounts:N0} accounts: {(oneMs / 1000.0 + start.TotalSeconds):N1} s until it processes " +
            $"(restore + start), {touch.TotalSeconds:N1} s more spread over the first record of each entity");
        return 0;
    }

    /// <summary>What restoring a partition costs whatever it holds: the median of three restores of a one-record partition.</summary>
    private static long FixedCostMs(string bootstrap, KeyValuePair<string, byte[]> entry)
    {
        var topic = $"restore-probe-{Guid.NewGuid():N}"[..24];
        BenchTopics.Provision(bootstrap, topic);
        using (var producer = Pacer.CreateProducer(bootstrap))
        {
            Produce(producer, new TopicPartition(topic, 0), entry);
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        using var restorer = new StateRestorer(new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = $"{topic}-restore", EnableAutoCommit = false, EnableAutoOffsetStore = false, FetchWaitMaxMs = 10,
        }), topic);
        var times = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            restorer.Begin(0);
            StateRestorer.Restored done;
            while (!restorer.TryTake(out done)) Thread.Sleep(1);
            times.Add(done.ElapsedMs);
        }
        return times.Order().ElementAt(1);
    }

    /// <summary>The engine over the traffic, flushed as a runtime commits; the entries as the changelog holds them at the end.</summary>
    private List<KeyValuePair<string, byte[]>> Build(ReputationEngineSettings settings)
    {
        var data = BenchData.Generate(messages, accounts, seed: 11);
        var entries = new ChangeloggedEntries();
        var engine = new ReputationEngine(settings, entries, ledgersWriteThrough: true);
        var attempts = InputParser.ForAttempts(settings);
        var events = InputParser.ForEvents(settings);
        for (var i = 0; i < data.Records.Length; i++)
        {
            var r = data.Records[i];
            if ((r.IsAttempt ? attempts : events).Parse(r.Value).Input is { } input) engine.Process(input);
            if ((i + 1) % 20_000 != 0 && i != data.Records.Length - 1) continue;
            engine.FlushState();
            entries.DrainChanges((_, _) => { });
            do engine.Tick();
            while (engine.TickInProgress);
        }
        engine.FlushState();
        return [.. entries.All()];
    }

    /// <summary>The entries by kind: how many, and their mean size.</summary>
    private static string Describe(List<KeyValuePair<string, byte[]>> state) => string.Join(", ", state
        .GroupBy(e => e.Key[..(e.Key.IndexOf('/') + 1)])
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key} {g.Count():N0} x {g.Average(e => e.Value.Length):N0} B"));

    /// <summary>The entries into partitions of at most <see cref="PartitionBytes"/>, four to a topic (the embedded broker
    /// creates topics with its default partition count).</summary>
    private static List<TopicPartition> Write(string bootstrap, List<KeyValuePair<string, byte[]>> state)
    {
        var prefix = $"restore-{Guid.NewGuid():N}"[..20];
        var assigned = new List<(int Index, KeyValuePair<string, byte[]> Entry)>();
        long size = 0;
        var index = 0;
        var inPartition = 0;
        foreach (var entry in state)
        {
            var entrySize = entry.Key.Length + entry.Value.Length + 70; // a record's framing on the broker
            if (inPartition > 0 && (size + entrySize > PartitionBytes || inPartition >= PartitionRecords))
            {
                index++;
                size = 0;
                inPartition = 0;
            }
            assigned.Add((index, entry));
            size += entrySize;
            inPartition++;
        }
        var topics = Enumerable.Range(0, index / 4 + 1).Select(t => $"{prefix}-{t}").ToArray();
        BenchTopics.Provision(bootstrap, topics);
        using var producer = Pacer.CreateProducer(bootstrap);
        foreach (var (i, entry) in assigned)
            Produce(producer, new TopicPartition(topics[i / 4], i % 4), entry);
        producer.Flush(TimeSpan.FromMinutes(2));
        return [.. assigned.Select(a => a.Index).Distinct().Select(i => new TopicPartition(topics[i / 4], i % 4))];
    }

    private static void Produce(IProducer<byte[], byte[]> producer, TopicPartition tp, KeyValuePair<string, byte[]> entry)
    {
        while (true)
        {
            try
            {
                producer.Produce(tp, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(entry.Key), Value = entry.Value });
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }
}
