using System.Diagnostics;
using BenchmarkDotNet.Running;
using ReputationMonitor.Benchmarks;

// dotnet run -c Release --project bench/Monitor.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project bench/Monitor.Benchmarks -- --profile-core <accounts> <seconds>
//   runs the core engine benchmark in a loop, in this process, for dotnet-trace to attach to.
if (args is ["--profile-core", var accounts, var seconds])
{
    var bench = new CoreEngineBenchmarks { Accounts = int.Parse(accounts) };
    bench.Generate();
    var clock = Stopwatch.StartNew();
    var passes = 0;
    while (clock.Elapsed.TotalSeconds < double.Parse(seconds))
    {
        bench.ParseJoinAggregateRules();
        passes++;
    }
    var records = (double)passes * bench.RecordCount;
    Console.WriteLine($"{passes} passes, {records / clock.Elapsed.TotalSeconds:N0} records/s, pid {Environment.ProcessId}");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
