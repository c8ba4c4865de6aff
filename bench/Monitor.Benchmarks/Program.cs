using System.Diagnostics;
using BenchmarkDotNet.Running;
using ReputationMonitor.Benchmarks;

// dotnet run -c Release --project bench/Monitor.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project bench/Monitor.Benchmarks -- --profile-core|--profile-warm <accounts> <seconds>
//   runs the core engine benchmark (cold, or warm after a cold pass) in a loop, in this process, for dotnet-trace;
//   for the warm one, keep only the stacks under WarmParseJoinAggregateRules when reading the trace.
if (args is [var mode and ("--profile-core" or "--profile-warm"), var accounts, var seconds])
{
    var bench = new CoreEngineBenchmarks { Accounts = int.Parse(accounts) };
    bench.Generate();
    var clock = Stopwatch.StartNew();
    var passes = 0;
    while (clock.Elapsed.TotalSeconds < double.Parse(seconds))
    {
        if (mode == "--profile-core") bench.ParseJoinAggregateRules();
        else
        {
            bench.Warm();
            bench.WarmParseJoinAggregateRules();
        }
        passes++;
    }
    var records = (double)passes * bench.RecordCount;
    Console.WriteLine($"{passes} passes, {records / clock.Elapsed.TotalSeconds:N0} records/s, pid {Environment.ProcessId}");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
