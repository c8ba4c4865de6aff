using System.Globalization;

namespace ReputationMonitor.EndToEnd;

/// <summary>How each pipeline's rate, memory and latency change with the number of active accounts (<c>--accounts 200,10000,100000</c>).</summary>
public static class GrowthTable
{
    public static void Print(IReadOnlyList<(int Accounts, BenchRunner Runner)> growth, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("## growth with active accounts");
        output.WriteLine();
        output.WriteLine($"| accounts | pipeline | median records/s | x at {growth[0].Accounts:N0} accounts | held after (managed) | held per account | p99 at half the rate |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        var first = Medians(growth[0].Runner);
        foreach (var (accounts, runner) in growth)
        foreach (var (pipeline, (rate, held)) in Medians(runner))
        {
            var ratio = first.TryGetValue(pipeline, out var f) && f.Rate > 0 ? (rate / f.Rate).ToString("N2", CultureInfo.InvariantCulture) : "-";
            var p99 = runner.P99Ms.TryGetValue(pipeline, out var ms) ? $"{ms:N0} ms" : "-";
            output.WriteLine($"| {accounts:N0} | {pipeline} | {rate:N0} | {ratio} | {held / 1024 / 1024:N0} MB | {held / accounts:N0} B | {p99} |");
        }
    }

    private static Dictionary<string, (double Rate, double Held)> Medians(BenchRunner runner) =>
        runner.Results.GroupBy(r => r.Pipeline).ToDictionary(g => g.Key,
            g => (BenchRunner.Median(g.Select(r => r.PerSecond)), BenchRunner.Median(g.Select(r => (double)r.HeldBytes))));
}
