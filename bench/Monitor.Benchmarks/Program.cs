using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Monitor.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(ReputationMonitor.Benchmarks.EngineBenchmarks).Assembly).Run(args);
