using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Kafka;
using ReputationMonitor.Observability;
using ReputationMonitor.PartitionRuntime;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// The partition processor's assignment is eager: a member joining or leaving revokes every partition from every member,
/// then assigns them again. A by-account partition given back to the instance that held it, its changelog unchanged, keeps
/// its task: nothing is read back from the changelog for it. The partitions that move are restored; every count stays exact.
/// </summary>
public sealed class RebalanceKeepsStateTests
{
    private const int Accounts = 40;

    [Fact]
    public async Task Partitions_that_stay_keep_their_state_through_a_rebalance_and_those_that_move_are_restored()
    {
        using var broker = new EmbeddedKafkaBroker();
        var options = new KafkaOptions { BootstrapServers = broker.BootstrapServers, CommitIntervalMs = 200, SessionTimeoutMs = 6000 };
        using (var connection = new KafkaConnection(Options.Create(options), NullLogger<KafkaConnection>.Instance))
            await new TopicProvisioner(connection, NullLogger<TopicProvisioner>.Instance)
                .EnsureAsync(options.AllTopics().All(), options.DefaultPartitions, 1, CancellationToken.None);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);

        using var a = new Member(options);
        await Poll.UntilAsync(() => Task.FromResult(a.Held), n => n == options.DefaultPartitions, TimeSpan.FromSeconds(60), "the first member's partitions");
        Produce(options, phase: 1, at);
        await Poll.UntilAsync(() => Task.FromResult(a.Processed), n => n >= Accounts, TimeSpan.FromSeconds(60), "the first sends");
        var keptBefore = MonitorMetrics.PartitionsKept.Value;
        var counters = new WindowedCounters(new WindowOptions());

        using (var b = new Member(options))
        {
            await Poll.UntilAsync(() => Task.FromResult((a.Held, b.Held)), h => h == (2, 2), TimeSpan.FromSeconds(60), "the partitions shared");
            Assert.Equal(0, a.Restorer.RecordsRestored); // its two partitions were kept, not read back
            Assert.True(b.Restorer.RecordsRestored > 0, "the joining member restored the partitions it was given");
            Assert.True(MonitorMetrics.PartitionsKept.Value - keptBefore >= 2);

            Produce(options, phase: 2, at.AddMinutes(1));
            // Counted where each account's partition is (records may be read twice around a rebalance; they count once).
            await Poll.UntilAsync(() => Task.FromResult(a.SentByAccount(counters).Concat(b.SentByAccount(counters)).ToList()),
                sent => sent.Count == Accounts && sent.All(s => s.Value == 2), TimeSpan.FromSeconds(60), "the second sends");
        } // leaves the group after its commit

        await Poll.UntilAsync(() => Task.FromResult(a.Held), n => n == options.DefaultPartitions, TimeSpan.FromSeconds(60), "every partition back");
        Assert.True(a.Restorer.RecordsRestored > 0, "the partitions the second member held were restored from its changelog");
        // Each account's two sends, counted by whichever member held its partition at the time.
        await Poll.UntilAsync(() => Task.FromResult(a.SentByAccount(counters)), sent => sent.Count == Accounts && sent.Values.All(n => n == 2),
            TimeSpan.FromSeconds(60), "two sends for every account");
    }

    private static void Produce(KafkaOptions options, int phase, DateTimeOffset at)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = options.BootstrapServers }).Build();
        for (var i = 0; i < Accounts; i++)
        {
            var account = $"97{i:D10}";
            producer.Produce(options.Topics.SendAttempts, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(account),
                Value = Encoding.UTF8.GetBytes(SesJson.Attempt($"keep-{phase}-{i}", account, at, $"r{i}@gmail.com")),
            });
        }
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>One partition processor of the group, on a thread of its own, with settings (and so a record count) of its own.</summary>
    private sealed class Member : IDisposable
    {
        private readonly ReputationEngineSettings _settings;
        private readonly PartitionProcessor _processor;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public Member(KafkaOptions options)
        {
            _settings = new ReputationEngineSettings { Topics = options.AllTopics(), MaxFutureSkew = TimeSpan.FromDays(1) };
            _processor = new PartitionProcessor(_settings, options, new KafkaClients(options.BootstrapServers!, options), new StreamStatus(),
                NullLogger.Instance);
            _run = Task.Factory.StartNew(() => _processor.Run(_stop.Token), TaskCreationOptions.LongRunning);
        }

        public long Processed => _settings.RecordsProcessed;
        public StateRestorer Restorer => _processor.Restorer;

        /// <summary>By-account partitions held (read while the processor runs: a collision with its own change reads as none).</summary>
        public int Held => Read(() => _processor.State.Count, 0);

        public Dictionary<string, long> SentByAccount(WindowedCounters counters) => Read(() => _processor.State.Values
            .SelectMany(e => e.All())
            .Where(e => e.Key.StartsWith(ReputationStateStore.AccountPrefix, StringComparison.Ordinal))
            .Select(e => StateCodec.Decode<AccountAggregate>(e.Value))
            .ToDictionary(acc => acc.AccountId, acc => counters.Snapshot(acc.Windows).Totals.Sent), []);

        private static T Read<T>(Func<T> read, T otherwise)
        {
            try
            {
                return read();
            }
            catch (InvalidOperationException)
            {
                return otherwise;
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _run.Wait(TimeSpan.FromSeconds(60));
            _processor.Dispose();
        }
    }
}
