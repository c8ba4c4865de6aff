using System.Net.Http.Headers;
using System.Text;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReputationMonitor.Hosting;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// The real service, in-process, on a real HTTP port, against the fixtures' broker and database, with
/// its own topics, consumer groups and database so tests never see each other's data.
/// </summary>
public sealed class MonitorInstance : IAsyncDisposable
{
    public const string OperatorKey = "test-operator-key-0123456789";
    public const string ViewerKey = "test-viewer-key-0123456789ab";
    public const string AdminKey = "test-admin-key-0123456789abc";
    /// <summary>The command signing key every test instance shares (instances of one deployment must).</summary>
    public const string CommandSigningKey = "test-command-signing-key-0123456789abcdef";

    private readonly WebApplication _app;
    public string Prefix { get; }
    public string BootstrapServers { get; }
    public string ConnectionString { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public string SendAttemptsTopic => $"{Prefix}.email.send-attempts";
    public string EventsTopic => $"{Prefix}.email.events";
    public string ActionsTopic => $"{Prefix}.reputation.actions";
    public string DlqTopic => $"{Prefix}.reputation.dlq";
    public string FeedbackReportsTopic => $"{Prefix}.email.feedback-reports";
    public string DmarcReportsTopic => $"{Prefix}.email.dmarc-reports";

    private MonitorInstance(WebApplication app, string prefix, string bootstrap, string connectionString)
    {
        _app = app;
        Prefix = prefix;
        BootstrapServers = bootstrap;
        ConnectionString = connectionString;
    }

    /// <param name="shareWith">Another instance whose topics, consumer groups and database this one joins (scale-out).</param>
    public static async Task<MonitorInstance> StartAsync(KafkaFixture kafka, PostgresFixture postgres, Dictionary<string, string?>? extra = null,
        TimeProvider? clock = null, MonitorInstance? shareWith = null)
    {
        var prefix = shareWith?.Prefix ?? NewPrefix();
        var db = shareWith?.ConnectionString ?? await postgres.CreateDatabaseAsync();
        var settings = Settings(prefix, kafka.BootstrapServers, db);
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var app = MonitorApp.Build([], settings, clock is null ? null : services => services.AddSingleton(clock));
        var instance = new MonitorInstance(app, prefix, kafka.BootstrapServers, db);
        await app.StartAsync();
        var metricsPort = settings.GetValueOrDefault("Api:MetricsUrl") is { Length: > 0 } m ? new Uri(m).Port : -1;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port != metricsPort);
        instance.BaseAddress = new Uri(address);
        using var http = instance.Client(key: null);
        await Poll.UntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode, s => s == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the instance to become ready (stream RUNNING, PostgreSQL reachable)");
        return instance;
    }

    /// <summary>The extra settings that run an instance on <paramref name="runtime"/> whatever MONITOR_TEST_RUNTIME says.</summary>
    public static Dictionary<string, string?> OnRuntime(ReputationMonitor.Configuration.StreamRuntime runtime) =>
        new() { ["Kafka:Runtime"] = runtime.ToString() };

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A test instance's configuration: its own topics, consumer groups and database, fast snapshots, the test keys.</summary>
    public static Dictionary<string, string?> Settings(string prefix, string bootstrapServers, string connectionString) => new()
    {
        ["Kafka:BootstrapServers"] = bootstrapServers,
        ["Kafka:ApplicationId"] = prefix,
        // The whole suite runs on either runtime: the default (the partition processor), or MONITOR_TEST_RUNTIME=Streamiz.
        ["Kafka:Runtime"] = Environment.GetEnvironmentVariable("MONITOR_TEST_RUNTIME") ?? new ReputationMonitor.Configuration.KafkaOptions().Runtime.ToString(),
        ["Kafka:CommitIntervalMs"] = "200",
        ["Kafka:SessionTimeoutMs"] = "10000", // a stopped instance's partitions move within seconds
        ["Kafka:Topics:SendAttempts"] = $"{prefix}.email.send-attempts",
        ["Kafka:Topics:Events"] = $"{prefix}.email.events",
        ["Kafka:Topics:Actions"] = $"{prefix}.reputation.actions",
        ["Kafka:Topics:Dlq"] = $"{prefix}.reputation.dlq",
        ["Kafka:Topics:Suppressions"] = $"{prefix}.reputation.suppressions",
        ["Kafka:Topics:AccountStats"] = $"{prefix}.reputation.account-stats",
        ["Kafka:Topics:EntityStats"] = $"{prefix}.reputation.entity-stats",
        ["Kafka:Topics:Commands"] = $"{prefix}.reputation.commands",
        ["Kafka:Topics:FeedbackReports"] = $"{prefix}.email.feedback-reports",
        ["Kafka:Topics:DmarcReports"] = $"{prefix}.email.dmarc-reports",
        ["Postgres:ConnectionString"] = connectionString,
        ["Reputation:SnapshotInterval"] = "00:00:00.200",
        ["Reputation:EntitySnapshotInterval"] = "00:00:00.200", // the tests poll for final statistics (PublicationIntervalTests: the interval)
        ["Api:Url"] = "http://127.0.0.1:0",
        ["Api:PermitsPerMinute"] = "1000000", // tests poll fast; RateLimitTests sets its own
        ["Api:AnonymousPermitsPerMinute"] = "1000000", // start-up and outage tests poll /readyz without a key; ApiHardeningTests sets its own
        ["Api:CommandSigningKey"] = CommandSigningKey,
        ["MONITOR_API_KEY_ADMIN"] = AdminKey,
        ["MONITOR_API_KEY_OPERATOR"] = OperatorKey,
        ["MONITOR_API_KEY_VIEWER"] = ViewerKey,
        ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") ?? "Warning",
        ["Logging:LogLevel:Streamiz"] = Environment.GetEnvironmentVariable("TEST_LOG_LEVEL") ?? "Warning",
    };

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public IConfigurationRoot Configuration => (IConfigurationRoot)_app.Configuration;

    public HttpClient Client(string? key = OperatorKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public Task ProduceAsync(string topic, IEnumerable<string> values, string? key = null) =>
        ProduceAsync(BootstrapServers, topic, values, key);

    public static async Task ProduceAsync(string bootstrapServers, string topic, IEnumerable<string> values, string? key = null)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 5 }).Build();
        foreach (var v in values)
            producer.Produce(topic, new Message<string?, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(v) });
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    public Task ProduceRawAsync(string topic, byte[] value) => ProduceRawAsync(topic, [value]);

    /// <summary>Produces raw values in order, as one producer (records up to ~1 MB).</summary>
    public async Task ProduceRawAsync(string topic, IEnumerable<byte[]> values)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, MessageMaxBytes = 2_000_000 }).Build();
        foreach (var v in values) producer.Produce(topic, new Message<Null, byte[]> { Value = v });
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Reads a topic from the beginning until <paramref name="done"/> holds or the deadline passes.</summary>
    public List<ConsumeResult<string?, byte[]>> ReadTopic(string topic, Func<List<ConsumeResult<string?, byte[]>>, bool> done, TimeSpan deadline)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string?, byte[]>>();
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && !done(records))
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is not null && !r.IsPartitionEOF) records.Add(r);
        }
        consumer.Close();
        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
