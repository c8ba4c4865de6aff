using System.CommandLine;
using System.Diagnostics;
using ReputationMonitor.Backtesting;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Backtesting;

namespace ReputationMonitor.Cli;

/// <summary>
/// <c>monitor backtest --rules candidate.json --file archive.jsonl [--from] [--to] [--in-force rules.json] [--out DIR]</c>: what a
/// candidate rule set would have decided over an archive, against the rules in force, both replayed in process without Kafka.
/// </summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var rules = new Option<FileInfo>("--rules")
        {
            Description = "The candidate: a JSON file with the Reputation section, or the keys of it that change", Required = true,
        };
        var file = new Option<FileInfo>("--file")
        {
            Description = "The archive: JSON lines of send attempts, SES events (raw or SNS) and/or message traces, in the order to replay",
            Required = true,
        };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Replay only events at or after this time" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Replay only events at or before this time" };
        var inForce = new Option<FileInfo?>("--in-force")
        {
            Description = "The rules in force (default: the Reputation section of appsettings.json and the environment, as 'run' reads it)",
        };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where backtest.json, decisions.csv and differences.csv go (default: ./backtest-<time>)" };
        var cmd = new Command("backtest", "Replay an archive through the rules in force and a candidate; print and write the decisions and how they differ.")
        {
            rules, file, from, to, inForce, output,
        };
        cmd.SetAction((result, ct) => RunAsync(result.GetValue(rules)!, result.GetValue(file)!, result.GetValue(from), result.GetValue(to),
            result.GetValue(inForce), result.GetValue(output), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(FileInfo candidateFile, FileInfo archive, DateTimeOffset? from, DateTimeOffset? to, FileInfo? inForceFile,
        DirectoryInfo? output, CancellationToken ct)
    {
        foreach (var (name, f) in new[] { ("--rules", candidateFile), ("--file", archive), ("--in-force", inForceFile) })
            if (f is { Exists: false })
            {
                Console.Error.WriteLine($"{name}: '{f.FullName}' does not exist");
                return 2;
            }
        if (from > to)
        {
            Console.Error.WriteLine("--from must not be after --to");
            return 2;
        }
        IConfiguration inForceConfiguration;
        try
        {
            inForceConfiguration = BacktestRules.InForceConfiguration(inForceFile);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException)
        {
            Console.Error.WriteLine($"--in-force: {e.Message}");
            return 2;
        }
        var (current, currentErrors) = BacktestRules.Load(inForceConfiguration, null);
        if (current is null) return Refuse("--in-force", currentErrors);
        ReputationOptions? candidate;
        IReadOnlyList<string> candidateErrors;
        try
        {
            (candidate, candidateErrors) = BacktestRules.Load(inForceConfiguration, BacktestRules.Read(candidateFile));
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException)
        {
            return Refuse("--rules", [e.Message]);
        }
        if (candidate is null) return Refuse("--rules", candidateErrors);

        var clock = Stopwatch.StartNew();
        var result = Replay(archive, current, candidate, from, to, ct);
        Console.Error.WriteLine();
        BacktestReport.Print(result, Console.Out);
        var files = await BacktestReport.WriteAsync(result, output ?? new DirectoryInfo($"backtest-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{result.Archive.Replayed:N0} events replayed twice in {clock.Elapsed.TotalSeconds:N1} s; written: {string.Join(", ", files)}");
        return 0;
    }

    private static int Refuse(string option, IReadOnlyList<string> errors)
    {
        Console.Error.WriteLine($"{option}: the rules are refused:");
        foreach (var e in errors) Console.Error.WriteLine($"  {e}");
        return 2;
    }

    /// <summary>Every line parsed once and fed to both runs; a progress bar on standard error.</summary>
    public static BacktestResult Replay(FileInfo archive, ReputationOptions inForce, ReputationOptions candidate, DateTimeOffset? from,
        DateTimeOffset? to, CancellationToken ct, TextWriter? progress = null)
    {
        progress ??= Console.Error;
        var backtest = new Backtest(inForce, candidate, from, to);
        var reader = new ArchiveRecordReader();
        var refused = new Dictionary<string, long>();
        var length = Math.Max(1, archive.Length);
        using var lines = new JsonLinesFile(archive.OpenRead(), Core.Parsing.RecordLimits.DefaultMaxRecordBytes);
        var bar = new ProgressBar(progress, length);
        long read = 0;
        lines.ForEachLine(line =>
        {
            read++;
            var parsed = reader.Read(line);
            if (parsed.Event is { } e) backtest.Feed(e);
            else refused[parsed.ErrorCode!] = refused.GetValueOrDefault(parsed.ErrorCode!) + 1;
            if ((read & 1023) != 0) return;
            ct.ThrowIfCancellationRequested();
            bar.Show(lines.Consumed, $"{read:N0} lines");
        });
        if (lines.Oversized > 0) refused[Core.Parsing.DlqReasons.Oversize] = refused.GetValueOrDefault(Core.Parsing.DlqReasons.Oversize) + lines.Oversized;
        bar.Show(length, $"{read:N0} lines", force: true);
        return backtest.Finish(refused.Values.Sum(), refused);
    }
}
