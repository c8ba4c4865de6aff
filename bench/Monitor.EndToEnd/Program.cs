using System.CommandLine;
using ReputationMonitor.EndToEnd;

// dotnet bench/Monitor.EndToEnd/bin/Release/net10.0/monitor-bench.dll [--messages 100000] [--runs 3] ...  (make bench)
var messages = new Option<int>("--messages") { Description = "Messages per run (3 records each: attempt, Send, outcome)", DefaultValueFactory = _ => 100_000 };
var accounts = new Option<string>("--accounts")
{
    Description = "Sending accounts in the traffic; several (200,10000,100000) run the comparison at each and end with a growth table",
    DefaultValueFactory = _ => "200",
};
var runs = new Option<int>("--runs") { Description = "Runs of each pipeline; the medians are reported", DefaultValueFactory = _ => 3 };
var pipelines = new Option<string>("--pipelines") { Description = "Comma-separated: raw,relay,monitor,partition (the monitor on the partition processor),partition-hop (the same, every record through the by-account topic),partition-1t (the same on one thread),partition-every (the same, every changed entity's statistics at every tick),naive", DefaultValueFactory = _ => "raw,relay,monitor,partition,naive" };
var latencySeconds = new Option<int>("--latency-seconds") { Description = "Length of the latency run at 50 % of the monitor's rate (0: none)", DefaultValueFactory = _ => 30 };
var window = new Option<int>("--window") { Description = "Most records the producer may be ahead of the pipeline (fewer when they would exceed 16 MB: the embedded broker keeps ~5 MB a partition)", DefaultValueFactory = _ => 40_000 };
var providers = new Option<int>("--providers") { Description = "Recipient providers the traffic spreads over (1-6; 0: all, in their shares)", DefaultValueFactory = _ => 0 };
var soakMinutes = new Option<int>("--soak-minutes") { Description = "Instead of the comparison: run the monitor this long at --soak-rate and report memory over time", DefaultValueFactory = _ => 0 };
var soakRate = new Option<int>("--soak-rate") { Description = "Records per second for the soak", DefaultValueFactory = _ => 5_000 };
var snapshotSeconds = new Option<double>("--snapshot-seconds") { Description = "The monitor's Reputation:SnapshotInterval (statistics published per changed entity)", DefaultValueFactory = _ => 1 };
var streamThreads = new Option<int>("--stream-threads") { Description = "The monitor's Kafka:StreamThreads", DefaultValueFactory = _ => new ReputationMonitor.Configuration.KafkaOptions().StreamThreads };
var runtime = new Option<ReputationMonitor.Configuration.StreamRuntime>("--runtime") { Description = "The monitor's runtime in the soak (Kafka:Runtime): Streamiz or Partition", DefaultValueFactory = _ => new ReputationMonitor.Configuration.KafkaOptions().Runtime };
var warmup = new Option<int>("--warmup-messages") { Description = "Before run 1, each pipeline once over this many messages, not counted (0: none)", DefaultValueFactory = _ => 20_000 };
var span = new Option<int>("--span-seconds") { Description = "Event time the messages spread over (0: 1 s per 1,000 messages); fixed, the windows are alike at any --messages", DefaultValueFactory = _ => 0 };
var deadline = new Option<int>("--deadline-seconds") { Description = "Give up on a phase after this long", DefaultValueFactory = _ => 600 };
var root = new RootCommand("End-to-end benchmark on the embedded Kafka broker: raw consume and consume→produce ceilings, the monitor, and a naive Streamiz pipeline on the same records.")
{
    messages, accounts, runs, pipelines, latencySeconds, window, deadline, providers, soakMinutes, soakRate, snapshotSeconds, streamThreads, runtime, warmup, span,
};
root.SetAction(result =>
{
    var counts = result.GetValue(accounts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (counts.Length == 0 || counts.Any(c => !int.TryParse(c, out var n) || n < 1))
    {
        Console.Error.WriteLine($"--accounts: positive whole numbers separated by commas, got '{result.GetValue(accounts)}'");
        return 2;
    }
    var growth = new List<(int Accounts, BenchRunner Runner)>();
    var exit = 0;
    foreach (var n in counts.Select(int.Parse))
    {
        var runner = new BenchRunner(new BenchOptions(result.GetValue(messages), n, result.GetValue(runs),
            result.GetValue(pipelines)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), result.GetValue(latencySeconds),
            result.GetValue(window), TimeSpan.FromSeconds(result.GetValue(deadline)), result.GetValue(providers), result.GetValue(soakMinutes),
            result.GetValue(soakRate), TimeSpan.FromSeconds(result.GetValue(snapshotSeconds)), result.GetValue(streamThreads), result.GetValue(runtime),
            result.GetValue(warmup), result.GetValue(span)), Console.Out, Console.Error);
        exit = Math.Max(exit, runner.Run());
        growth.Add((n, runner));
    }
    if (growth.Count > 1) GrowthTable.Print(growth, Console.Out);
    return exit;
});
var consolePostgres = new Option<string>("--postgres") { Description = "PostgreSQL server to create the bench's database on", DefaultValueFactory = _ => "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres" };
var consoleDimensions = new Option<int>("--dimensions") { Description = "Dimensions of the account (configuration sets, tenants, pools, IPs, domains)", DefaultValueFactory = _ => 1000 };
var consoleRequests = new Option<int>("--requests") { Description = "Requests per page", DefaultValueFactory = _ => 200 };
var console = new Command("console", "The console's account page for an account with many dimensions: server time per request (make bench-console).")
{
    consolePostgres, consoleDimensions, consoleRequests,
};
console.SetAction(result => new ConsoleBench(result.GetValue(consolePostgres)!, result.GetValue(consoleDimensions), result.GetValue(consoleRequests), Console.Out).RunAsync());
root.Subcommands.Add(console);
var restoreAccounts = new Option<int>("--accounts") { Description = "Accounts whose state the partition holds", DefaultValueFactory = _ => 25_000 };
var restoreMessages = new Option<int>("--messages") { Description = "Messages of traffic the state is built from (0: 10 per account)", DefaultValueFactory = _ => 0 };
var restore = new Command("restore", "A partition move: the state of --accounts accounts restored from changelog partitions on the embedded broker, the engine started over it, every entity decoded once.")
{
    restoreAccounts, restoreMessages,
};
restore.SetAction(result => new RestoreBench(result.GetValue(restoreAccounts),
    result.GetValue(restoreMessages) is > 0 and var m ? m : 10 * result.GetValue(restoreAccounts), Console.Out).Run());
root.Subcommands.Add(restore);
return await root.Parse(args).InvokeAsync();
