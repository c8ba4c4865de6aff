using System.Text.Json;
using System.Text.Json.Serialization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// (c) What a user would write first with the Streamiz DSL: attempts as a table by message id, SES events joined to
/// it (stream-table join), re-grouped by account, counted per hour window and event type — with
/// <c>JsonSerializer</c> POCOs. It computes a small part of what the monitor does (no ledger, no per-recipient
/// flags, no dimensions, no rules), so it is the peer, not the reference.
/// </summary>
public sealed class NaiveStreamizPipeline : IPipeline
{
    private KafkaStream? _stream;
    private long _attemptsIn, _eventsIn, _joined, _counted;

    public const string DisplayName = "naive Streamiz";
    public string Name => DisplayName;

    /// <summary>Input records consumed; done when every joined event has been counted too (see <see cref="Drained"/>).</summary>
    public long Processed => Interlocked.Read(ref _attemptsIn) + Interlocked.Read(ref _eventsIn);

    /// <summary>Every joined event has reached the windowed count (the repartition between them is empty).</summary>
    public bool Drained => Interlocked.Read(ref _counted) == Interlocked.Read(ref _joined);

    public long Joined => Interlocked.Read(ref _joined);

    public void Start(string bootstrap, BenchTopics topics)
    {
        var builder = new StreamBuilder();
        var attempts = builder.Stream<string, NaiveAttempt, StringSerDes, JsonPoco<NaiveAttempt>>(topics.Attempts)
            .Peek((_, _, _) => Interlocked.Increment(ref _attemptsIn))
            .ToTable(Materialized<string, NaiveAttempt, IKeyValueStore<Bytes, byte[]>>.Create<StringSerDes, JsonPoco<NaiveAttempt>>("naive-attempts"));
        builder.Stream<string, NaiveEvent, StringSerDes, JsonPoco<NaiveEvent>>(topics.Events)
            .Peek((_, _, _) => Interlocked.Increment(ref _eventsIn))
            .Join<NaiveAttempt, NaiveJoined, JsonPoco<NaiveAttempt>, JsonPoco<NaiveJoined>>(attempts,
                (e, a) => new NaiveJoined { AccountId = a.AccountId, EventType = e.EventType })
            .Peek((_, _, _) => Interlocked.Increment(ref _joined))
            .GroupBy<string, StringSerDes>((_, v, _) => $"{v.AccountId}/{v.EventType}")
            .WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromHours(1)))
            .Aggregate(() => 0L, (_, _, count) =>
            {
                Interlocked.Increment(ref _counted);
                return count + 1;
            }, InMemoryWindows.As<string, long>("naive-counts").WithKeySerdes<StringSerDes>().WithValueSerdes<Int64SerDes>());
        // The embedded broker cannot CreateTopics: the internal topics come into being by auto-creation first.
        var appId = $"{topics.Prefix}-naive";
        BenchTopics.Provision(bootstrap, $"{appId}-naive-counts-repartition", $"{appId}-naive-counts-changelog", $"{appId}-naive-attempts-changelog");
        _stream = new KafkaStream(builder.Build(), new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = appId, Logger = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, BootstrapServers = bootstrap, AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            CommitIntervalMs = 1000, NumStreamThreads = 1,
            StateDir = Path.Combine(Path.GetTempPath(), "reputation-monitor-bench", topics.Prefix),
        });
        _stream.StartAsync().GetAwaiter().GetResult();
    }

    public void Dispose() => _stream?.Dispose();
}

public sealed class NaiveAttempt
{
    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
    [JsonPropertyName("accountId")] public string? AccountId { get; set; }
}

public sealed class NaiveEvent
{
    [JsonPropertyName("eventType")] public string? EventType { get; set; }
    [JsonPropertyName("mail")] public NaiveMail? Mail { get; set; }
}

public sealed class NaiveMail
{
    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
}

public sealed class NaiveJoined
{
    public string? AccountId { get; set; }
    public string? EventType { get; set; }
}

/// <summary>JSON with reflection-based <see cref="JsonSerializer"/>, as a first version would.</summary>
public sealed class JsonPoco<T> : AbstractSerDes<T>
{
    public override T Deserialize(byte[] data, Confluent.Kafka.SerializationContext context) => JsonSerializer.Deserialize<T>(data)!;
    public override byte[] Serialize(T data, Confluent.Kafka.SerializationContext context) => JsonSerializer.SerializeToUtf8Bytes(data);
}
