using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;
using ReputationMonitor.Engine;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// A fuzz corpus of bad records produced between valid ones, through the broker: every bad one lands in the DLQ
/// with its reason and its original bytes, every valid one is counted, and the stream never stops or restarts.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PoisonPillTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "940000000014";

    private static List<byte[]> Corpus()
    {
        var valid = Delivery("pp-x", Account, T0, T0.AddSeconds(1), "x@gmail.com");
        var corpus = new List<string>
        {
            valid[..(valid.Length / 2)], valid[..^1], "{", "{\"eventType\":", "", "null", "42", "[]", "\"text\"", "true",
            "{\"eventType\": 5}", "{\"eventType\": \"Bounce\", \"mail\": \"not an object\"}",
            "{\"eventType\": \"Bounce\", \"mail\": {\"messageId\": 7}}", "{\"eventType\": \"Teleport\", \"mail\": {}}",
            "{\"eventType\": \"Bounce\", \"mail\": {\"messageId\": \"m\", \"sendingAccountId\": \"1\", \"timestamp\": \"yesterday\"}}",
            "{\"eventType\": \"Bounce\", \"junk\": \"" + new string('x', 300_000) + "\"}",
            new string('[', 10_000) + new string(']', 10_000),
            "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5001),
            "{\"eventType\": \"Bounce\", \"mail\": " + new string(' ', 900_000) + "}",
            "{\"Type\": \"Notification\", \"Message\": \"{not json\"}",
            "{\"Type\": \"SubscriptionConfirmation\", \"Message\": \"confirm me\"}",
        };
        var bytes = corpus.Select(Encoding.UTF8.GetBytes).ToList();
        bytes.Add([0xFF, 0xFE, 0x7B, 0x7D]);                                   // invalid UTF-8
        bytes.Add([.. Encoding.UTF8.GetBytes("{\"eventType\":\"Bounce\",\"x\":\""), 0xC3, 0x28, .. "\"}"u8]); // invalid UTF-8 inside a string
        bytes.Add(new byte[1_000_000]);                                         // 1 MB of zeros
        return bytes;
    }

    [Theory]
    [InlineData(StreamRuntime.Streamiz)]
    [InlineData(StreamRuntime.Partition)]
    public async Task Bad_records_between_good_ones_go_to_the_dlq_and_every_good_one_is_counted_without_a_restart(StreamRuntime runtime)
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(runtime));
        var status = monitor.Service<StreamStatus>();
        var runningBefore = status.TimesRunning;
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);

        const int good = 100;
        var corpus = Corpus();
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, Enumerable.Range(0, good).Select(i => SesJson.Attempt($"pp-{i}", Account, T0.AddSeconds(i), $"u{i}@gmail.com")));
        var events = new List<byte[]>();
        for (var i = 0; i < good; i++)
        {
            events.Add(Encoding.UTF8.GetBytes(Delivery($"pp-{i}", Account, T0.AddSeconds(i), T0.AddSeconds(i + 5), $"u{i}@gmail.com")));
            if (i < corpus.Count) events.Add(corpus[i]); // one bad record after each good one
        }
        await monitor.ProduceRawAsync(monitor.EventsTopic, events);

        var account = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("delivered").GetInt64() == good, TimeSpan.FromSeconds(60), "every good record counted");
        Assert.Equal(good, account!.Value.GetProperty("totals").GetProperty("sent").GetInt64());

        var dlq = monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= corpus.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(corpus.Count, dlq.Count);
        var codes = DlqReasons.All.Append("processing_error").ToHashSet();
        foreach (var record in dlq)
        {
            var reason = Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("reason"));
            Assert.Contains(reason.Split(':')[0], codes);
            Assert.Equal(monitor.EventsTopic, Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("source-topic")));
        }
        // The original bytes, every one, unchanged; those too large to re-publish keep their head, their size and
        // where the whole record is (source partition and offset).
        string Original(ConsumeResult<string?, byte[]> r)
        {
            var value = r.Message.Value ?? [];
            if (r.Message.Headers.TryGetLastBytes("truncated-from-bytes", out var size))
            {
                Assert.Equal(64 * 1024, value.Length);
                var whole = corpus.Single(c => c.Length == int.Parse(Encoding.UTF8.GetString(size)));
                Assert.Equal(whole[..value.Length], value);
                return Convert.ToBase64String(whole);
            }
            return Convert.ToBase64String(value);
        }
        Assert.Equal(corpus.Select(Convert.ToBase64String).Order(), dlq.Select(Original).Order());
        Assert.All(dlq, r => Assert.True(r.Message.Headers.TryGetLastBytes("source-offset", out _)));
        var reasons = dlq.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("reason")).Split(':')[0]).ToHashSet();
        Assert.Superset(new HashSet<string> { DlqReasons.InvalidJson, DlqReasons.Oversize, DlqReasons.InvalidUtf8, DlqReasons.Empty,
            DlqReasons.WrongFieldType, DlqReasons.UnknownEventType, DlqReasons.MissingField }, reasons);

        Assert.True(status.IsRunning);
        Assert.Equal(runningBefore, status.TimesRunning); // never left RUNNING: no restart, no rebalance
    }

    /// <summary>
    /// The same corpus on every other topic the engine reads — send attempts, operator commands and the by-account topic
    /// (which only the stream writes) — each followed by a valid record: every bad one in the DLQ with its reason and its
    /// source topic, the valid ones applied, the stream never leaving RUNNING.
    /// </summary>
    [Theory]
    [InlineData(StreamRuntime.Streamiz)]
    [InlineData(StreamRuntime.Partition)]
    public async Task The_corpus_on_every_other_topic_the_engine_reads_goes_to_the_dlq(StreamRuntime runtime)
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, MonitorInstance.OnRuntime(runtime));
        var status = monitor.Service<StreamStatus>();
        var runningBefore = status.TimesRunning;
        var corpus = Corpus();
        var commands = monitor.Prefix + ".reputation.commands";
        var byAccount = monitor.Service<ReputationMonitor.Engine.Topics>().RepartitionTopic;
        var signature = new ReputationMonitor.Core.Rules.CommandSignature(MonitorInstance.CommandSigningKey);
        var pause = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(signature.Sign(new ReputationMonitor.Core.Rules.OperatorCommand
        {
            CommandId = "pp-pause", Type = "pause", Scope = "account", Entity = "940000000015", Actor = "test", Reason = "poison pills",
            At = DateTimeOffset.UtcNow,
        }), ReputationMonitor.Core.CoreJsonContext.Default.OperatorCommand);

        await monitor.ProduceRawAsync(monitor.SendAttemptsTopic, [.. corpus, Encoding.UTF8.GetBytes(SesJson.Attempt("pp-after", Account, T0, "a@gmail.com"))]);
        await monitor.ProduceRawAsync(commands, [.. corpus, pause]);
        // Keyed by an account, as the stream keys them (Streamiz itself skips a null-keyed record there, with a warning).
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = monitor.BootstrapServers, MessageMaxBytes = 2_000_000 }).Build())
        {
            foreach (var value in corpus) producer.Produce(byAccount, new Message<string, byte[]> { Key = "940000000016", Value = value });
            producer.Flush(TimeSpan.FromSeconds(30));
        }

        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync("/v1/accounts/940000000015/sending-status"),
            s => s?.GetProperty("status").GetString() == "paused", TimeSpan.FromSeconds(60), "the signed pause after the corpus");
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == 1, TimeSpan.FromSeconds(60), "the attempt after the corpus");

        var dlq = monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= 3 * corpus.Count, TimeSpan.FromSeconds(60));
        var bySource = dlq.GroupBy(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("source-topic"))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { [monitor.SendAttemptsTopic] = corpus.Count, [commands] = corpus.Count, [byAccount] = corpus.Count }, bySource);
        var codes = DlqReasons.All.Append("invalid_repartition_record").ToHashSet();
        Assert.All(dlq, r => Assert.Contains(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("reason")).Split(':')[0], codes));
        Assert.True(status.IsRunning);
        Assert.Equal(runningBefore, status.TimesRunning);
    }
}
