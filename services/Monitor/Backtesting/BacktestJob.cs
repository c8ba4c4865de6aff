using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReputationMonitor.Engine.Backtesting;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Backtesting;

/// <summary>
/// A backtest the API asked for, over the message traces the monitor holds: the traces of the range written to a temporary
/// archive, then <c>monitor backtest</c> run on it as a child process. A process of its own: the replay's engines count
/// no metrics of the service (a replayed pause must not page anyone), its memory is returned when it ends, and it is killed
/// when the request is abandoned or runs out of time. One at a time.
/// </summary>
public sealed class BacktestJob(ReadStore store, IConfiguration configuration, ILogger<BacktestJob> logger)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Traces one backtest may replay (two engines over a million records take well under a minute).</summary>
    public const long MaxTraces = 2_000_000;

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <returns>Null when another backtest is running.</returns>
    public async Task<BacktestResult?> RunAsync(JsonObject candidate, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (!await _one.WaitAsync(0, ct)) return null;
        var dir = Directory.CreateTempSubdirectory("monitor-backtest-");
        try
        {
            var archive = Path.Combine(dir.FullName, "traces.jsonl");
            long traces;
            await using (var file = File.Create(archive)) traces = await store.WriteTracesAsync(from.UtcDateTime, to.UtcDateTime, file, ct);
            var rules = Path.Combine(dir.FullName, "candidate.json");
            var inForce = Path.Combine(dir.FullName, "in-force.json");
            await File.WriteAllTextAsync(rules, candidate.ToJsonString(), ct);
            await File.WriteAllTextAsync(inForce, BacktestRules.Section(configuration).ToJsonString(), ct);
            var output = Path.Combine(dir.FullName, "out");
            logger.LogInformation("Backtest over {Traces} traces from {From:u} to {To:u}", traces, from, to);
            await RunProcessAsync(["backtest", "--rules", rules, "--in-force", inForce, "--file", archive, "--out", output], ct);
            await using var json = File.OpenRead(Path.Combine(output, "backtest.json"));
            return await JsonSerializer.DeserializeAsync(json, BacktestJsonContext.Default.BacktestResult, ct)
                   ?? throw new InvalidDataException("the backtest wrote no result");
        }
        finally
        {
            dir.Delete(recursive: true);
            _one.Release();
        }
    }

    private static async Task RunProcessAsync(string[] args, CancellationToken ct)
    {
        // The monitor's own executable: "dotnet monitor.dll", or its apphost.
        var dll = typeof(BacktestJob).Assembly.Location;
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the backtest process did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the backtest process exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
    }
}
