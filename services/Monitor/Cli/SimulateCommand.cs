using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;
using ReputationMonitor.Configuration;
using ReputationMonitor.Simulation;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Cli;

/// <summary>
/// <c>monitor simulate --scenario S --rate N --duration D</c>: realistic, deterministic synthetic traffic produced
/// at a controlled rate, with a live progress line and a summary.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenario: " + string.Join(", ", SimulationScenario.All.Select(s => s.Name)),
            DefaultValueFactory = _ => SimulationScenario.Steady.Name,
        };
        scenario.AcceptOnlyFromAmong([.. SimulationScenario.All.Select(s => s.Name)]);
        var rate = new Option<int>("--rate") { Description = "Records per second (attempts and events together)", DefaultValueFactory = _ => 500 };
        var duration = new Option<TimeSpan>("--duration") { Description = "How long to send (e.g. 00:01:00)", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };
        var accounts = new Option<int>("--accounts") { Description = "Sending accounts (account 1 is the scenario's subject)", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed, start and scenario give the same records", DefaultValueFactory = _ => 1 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "Virtual start time of the traffic (default: now)" };
        var attemptsTopic = new Option<string>("--attempts-topic") { DefaultValueFactory = _ => new TopicNames().SendAttempts };
        var eventsTopic = new Option<string>("--events-topic") { DefaultValueFactory = _ => new TopicNames().Events };
        var output = new Option<FileInfo?>("--output")
        {
            Description = "Write the records to this JSON-lines file at once (an archive for 'backtest' or 'replay') instead of producing them at the rate",
        };
        var cmd = new Command("simulate", "Produce realistic synthetic traffic for a scenario.")
        {
            scenario, rate, duration, accounts, seed, start, attemptsTopic, eventsTopic, output,
        };
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(rate) is < 1 or > 1_000_000) r.AddError("--rate must be between 1 and 1,000,000 records per second");
            if (r.GetValue(duration) <= TimeSpan.Zero) r.AddError("--duration must be positive");
            if (r.GetValue(accounts) is < 1 or > 100_000) r.AddError("--accounts must be between 1 and 100,000");
        });
        cmd.SetAction(async (result, ct) =>
        {
            if (result.GetValue(output) is { } archive)
                return await WriteArchiveAsync(Options(result, SimulationScenario.Find(result.GetValue(scenario)!)!), archive, Console.Out, ct);
            var clients = MonitorCli.ResolveClients(result);
            if (clients is null)
            {
                await Console.Error.WriteLineAsync("simulate needs a broker: pass --bootstrap-servers or set KAFKA_BOOTSTRAP_SERVERS (make run prints the embedded one)");
                return 2;
            }
            return await RunAsync(clients, Options(result, SimulationScenario.Find(result.GetValue(scenario)!)!), Console.Out, Console.Error, ct);
        });
        return cmd;

        RunOptions Options(ParseResult result, SimulationScenario s) => new(s, result.GetValue(rate), result.GetValue(duration), result.GetValue(accounts),
            result.GetValue(seed), result.GetValue(start) ?? DateTimeOffset.UtcNow, result.GetValue(attemptsTopic)!, result.GetValue(eventsTopic)!);
    }

    /// <summary>The same records as a run (history first), written to a JSON-lines file at once: event time is virtual, so the
    /// archive covers the duration whatever the time it takes to write.</summary>
    public static async Task<int> WriteArchiveAsync(RunOptions o, FileInfo file, TextWriter output, CancellationToken ct)
    {
        var simulator = new TrafficSimulator(o.Scenario, o.Seed, o.Accounts, o.Start, o.Rate / 3.0, o.Duration);
        await using var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false), 1 << 20);
        long records = 0;
        void Write(SimulatedRecord r)
        {
            writer.WriteLine(r.Json);
            records++;
        }
        if (o.Scenario.History is { } history) await ProduceHistoryAsync(o, history, Write, output, ct);
        var due = (long)(o.Duration.TotalSeconds * o.Rate);
        var bar = new ProgressBar(Console.Error, due);
        for (var produced = 0L; produced < due && !ct.IsCancellationRequested;)
        {
            foreach (var r in simulator.Next().Records)
            {
                Write(r);
                produced++;
            }
            if ((produced & 4095) < 3) bar.Show(produced, $"{records:N0} records");
        }
        bar.Show(due, $"{records:N0} records", force: true);
        await output.WriteLineAsync($"wrote {records:N0} records of {o.Scenario.Name} ({o.Duration} of traffic from {o.Start.UtcDateTime:yyyy-MM-dd HH:mm} UTC) to {file.FullName}");
        return 0;
    }

    public sealed record RunOptions(SimulationScenario Scenario, int Rate, TimeSpan Duration, int Accounts, int Seed, DateTimeOffset Start,
        string AttemptsTopic, string EventsTopic);

    /// <summary>How much history a scenario's baseline gets: messages per account and hour (a steady sender's volume).</summary>
    public const int HistoryMessagesPerAccountHour = 150;

    /// <summary>Produces the scenario at the rate for the duration (wall clock), printing progress on <paramref name="progress"/>;
    /// first the steady history the scenario needs, if any, as fast as the broker takes it.</summary>
    public static async Task<int> RunAsync(Kafka.KafkaClients clients, RunOptions o, TextWriter output, TextWriter progress, CancellationToken ct)
    {
        // Three records a message (attempt, Send, outcome): the message rate follows from the record rate.
        var simulator = new TrafficSimulator(o.Scenario, o.Seed, o.Accounts, o.Start, o.Rate / 3.0, o.Duration);
        await output.WriteLineAsync($"simulate {o.Scenario.Name}: {o.Scenario.Description}");
        await output.WriteLineAsync($"  expect: {o.Scenario.Expected}  (subject: account {TrafficSimulator.Subject})");
        using var producer = new ProducerBuilder<string, string>(clients.Configure(new ProducerConfig
        {
            LingerMs = 5, EnableIdempotence = true,
        })).Build();
        long records = 0, messages = 0, failed = 0;
        void Produce(SimulatedRecord r) =>
            producer.Produce(r.IsAttempt ? o.AttemptsTopic : o.EventsTopic, new Message<string, string> { Key = r.MessageId, Value = r.Json },
                d => { if (d.Error.IsError) Interlocked.Increment(ref failed); });
        if (o.Scenario.History is { } history) await ProduceHistoryAsync(o, history, Produce, output, ct);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (clock.Elapsed < o.Duration && !ct.IsCancellationRequested)
        {
            // Send what is due by now, then wait for the next slice: the rate holds whatever the producer's speed.
            var due = (long)(clock.Elapsed.TotalSeconds * o.Rate);
            while (records < due)
            {
                var (_, batch) = simulator.Next();
                messages++;
                foreach (var r in batch)
                {
                    Produce(r);
                    records++;
                }
            }
            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                lastReport = clock.Elapsed;
                await progress.WriteAsync($"\r[simulate] {clock.Elapsed.TotalSeconds,5:N0} s  messages {messages:N0}  records {records:N0}  " +
                                          $"{records / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s  failed {Interlocked.Read(ref failed)}   ");
            }
            await Task.Delay(20, ct).ContinueWith(_ => { }, TaskScheduler.Default); // pacing, not synchronisation
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        await progress.WriteLineAsync();
        await output.WriteLineAsync($"simulated {messages:N0} messages ({records:N0} records) in {clock.Elapsed.TotalSeconds:N1} s " +
                                    $"({records / clock.Elapsed.TotalSeconds:N0} records/s) to {o.AttemptsTopic}, {o.EventsTopic}; {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The hours before the run as steady traffic of the same accounts (their baseline), event time spread evenly over
    /// them and produced at once: the accelerated past that the scenario is judged against. Its own seed: its message ids
    /// never meet the run's.
    /// </summary>
    private static async Task ProduceHistoryAsync(RunOptions o, TimeSpan history, Action<SimulatedRecord> produce, TextWriter output, CancellationToken ct)
    {
        var messages = (long)(HistoryMessagesPerAccountHour * o.Accounts * history.TotalHours);
        var from = o.Start - history;
        var past = new TrafficSimulator(SimulationScenario.Steady, o.Seed + 1_000_000, o.Accounts, from, messages / history.TotalSeconds, history);
        await output.WriteLineAsync($"  history: {history.TotalHours:N0} h of steady traffic first ({messages:N0} messages, event time " +
                                    $"{from.UtcDateTime:yyyy-MM-dd HH:mm} to {o.Start.UtcDateTime:HH:mm} UTC, sent at once)");
        for (var n = 0; n < messages && !ct.IsCancellationRequested; n++)
            foreach (var r in past.Next().Records) produce(r);
    }
}
