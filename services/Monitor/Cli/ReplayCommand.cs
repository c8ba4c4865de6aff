using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;

namespace ReputationMonitor.Cli;

/// <summary><c>monitor replay --topic T --file F.jsonl</c>: produce a JSON-lines file to a topic (one record per line).</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var topic = new Option<string>("--topic") { Description = "Topic to produce to", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "JSON-lines file ('-' for standard input)", Required = true };
        var cmd = new Command("replay", "Produce a JSON-lines file to a topic (how archived SES events get in).") { topic, file };
        cmd.SetAction(async (result, ct) =>
        {
            var clients = MonitorCli.ResolveClients(result);
            if (clients is null)
            {
                await Console.Error.WriteLineAsync("replay needs a broker: pass --bootstrap-servers or set KAFKA_BOOTSTRAP_SERVERS");
                return 2;
            }
            var path = result.GetValue(file)!;
            if (path.Name != "-" && !path.Exists)
            {
                await Console.Error.WriteLineAsync($"--file: '{path.FullName}' does not exist");
                return 2;
            }
            return await ReplayAsync(clients, result.GetValue(topic)!, path, ct);
        });
        return cmd;
    }

    private static async Task<int> ReplayAsync(Kafka.KafkaClients clients, string topic, FileInfo file, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<Null, string>(clients.Configure(new ProducerConfig
        {
            LingerMs = 5,
            EnableIdempotence = true,
        })).Build();
        using var reader = file.Name == "-" ? new StreamReader(Console.OpenStandardInput()) : file.OpenText();
        long produced = 0, failed = 0, skipped = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        string? line;
        while ((line = await reader.ReadLineAsync(ct)) is not null)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                skipped++;
                continue;
            }
            producer.Produce(topic, new Message<Null, string> { Value = line }, r =>
            {
                if (r.Error.IsError) Interlocked.Increment(ref failed);
            });
            produced++;
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                Console.Error.Write($"\rreplayed {produced:N0} records ({produced / clock.Elapsed.TotalSeconds:N0}/s)   ");
            }
        }
        producer.Flush(ct);
        Console.Error.WriteLine();
        Console.Out.WriteLine($"replayed {produced - failed} records to {topic} in {clock.Elapsed.TotalSeconds:N1} s; {failed} failed; {skipped} blank lines skipped");
        return failed == 0 ? 0 : 1;
    }
}
