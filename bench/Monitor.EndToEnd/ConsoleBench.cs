using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReputationMonitor.Hosting;
using ReputationMonitor.Kafka;

namespace ReputationMonitor.EndToEnd;

/// <summary>
/// <c>monitor-bench console</c>: what the console's account page costs the server for an account with many dimensions.
/// The real service (embedded broker, PostgreSQL) is fed an account whose sends spread over configuration sets, tenants,
/// pools, IPs and sending domains; then the page is requested over HTTP again and again (first page of dimensions, and
/// a page deep in them) and the time to the last byte is reported as percentiles.
/// </summary>
public sealed class ConsoleBench(string postgres, int dimensions, int requests, TextWriter output)
{
    private const string Account = "800000001000", Key = "bench-viewer-key-0123456789abcdef";

    public async Task<int> RunAsync()
    {
        var database = $"console_bench_{Environment.ProcessId}";
        await ExecuteAsync(postgres, $"CREATE DATABASE {database}");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Postgres:ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString,
                ["Api:Url"] = "http://127.0.0.1:0",
                ["Api:PermitsPerMinute"] = "1000000",
                ["MONITOR_API_KEY_VIEWER"] = Key,
                ["Reputation:SnapshotInterval"] = "00:00:00.200",
                ["Logging:LogLevel:Default"] = "Warning",
                ["MONITOR_LOG_FORMAT"] = "json",
            };
            await using var app = MonitorApp.Build([], settings);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);

            var messages = Produce(app.Services.GetRequiredService<KafkaConnection>().BootstrapServers);
            output.WriteLine($"console bench: account {Account}, {messages:N0} sends over {dimensions:N0} dimensions; waiting for the stream and PostgreSQL");
            var deadline = Stopwatch.StartNew();
            JsonElement page;
            do
            {
                await Task.Delay(500); // waiting on the service, not timing it
                page = await http.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/dimensions?pageSize=1000");
                if (deadline.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"{page.GetProperty("items").GetArrayLength()} of {dimensions} dimensions after 3 min");
            } while (page.GetProperty("items").GetArrayLength() < dimensions);
            var deep = (await http.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/dimensions?pageSize={dimensions / 2}")).GetProperty("nextToken").GetString();

            var table = new List<string> { $"{"page",-44} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"KB",6}" };
            foreach (var (name, path) in new[]
            {
                ("account page (first 50 dimensions)", $"/console/accounts/{Account}"),
                ("account page (dimensions from the middle)", $"/console/accounts/{Account}?dims={deep}"),
                ("account page, 7 d rates", $"/console/accounts/{Account}?range=7d"),
                ("overview", "/console"),
            })
                table.Add(await MeasureAsync(http, name, path));
            await app.StopAsync();
            // After the service's own output (banner, counters): the table is the last thing printed.
            output.WriteLine($"\nconsole bench: {dimensions:N0} dimensions, {requests} requests a page, time to the last byte over loopback");
            foreach (var line in table) output.WriteLine(line);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private async Task<string> MeasureAsync(HttpClient http, string name, string path)
    {
        for (var i = 0; i < Math.Min(20, requests); i++) await http.GetByteArrayAsync(path); // warm-up: JIT, pools, plans
        var times = new List<double>(requests);
        var bytes = 0;
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            bytes = (await http.GetByteArrayAsync(path)).Length;
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return $"{name,-44} {P(0.50),8:N1} {P(0.95),8:N1} {P(0.99),8:N1} {times[^1],8:N1} {bytes / 1024,6:N0}";
    }

    /// <summary>Sends spread over the dimensions: a quarter configuration sets, a quarter tenants, a tenth pools, the rest
    /// split between IPs and sending domains; every value seen several times.</summary>
    private long Produce(string bootstrap)
    {
        int sets = dimensions / 4, tenants = dimensions / 4, pools = dimensions / 10, domains = (dimensions - sets - tenants - pools) / 3;
        var ips = dimensions - sets - tenants - pools - domains;
        var messages = dimensions * 3;
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build();
        for (var i = 0; i < messages; i++)
        {
            var attempt = new JsonObject
            {
                ["messageId"] = $"console-bench-{i:D7}", ["attemptId"] = $"att-{i:D7}",
                ["timestamp"] = start.AddMilliseconds(i * 100).ToString("O"), ["accountId"] = Account,
                ["tenant"] = $"tenant-{i % tenants:D4}", ["source"] = $"News <news@d{i % domains:D4}.example.com>",
                ["configurationSet"] = $"set-{i % sets:D4}", ["sendingPool"] = $"pool-{i % pools:D3}",
                ["sendingIp"] = $"198.18.{i % ips / 250}.{i % ips % 250}",
                ["destinations"] = new JsonArray($"r{i}@{(i % 3) switch { 0 => "gmail.com", 1 => "outlook.com", _ => "yahoo.com" }}"),
                ["outcome"] = "accepted",
            };
            producer.Produce("email.send-attempts", new Message<string, string> { Key = $"console-bench-{i:D7}", Value = attempt.ToJsonString() });
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        return messages;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
