using System.Globalization;
using System.Text.Json;
using CsvHelper;
using static ReputationMonitor.Csv.CsvCells;
using ReputationMonitor.Engine.Backtesting;

namespace ReputationMonitor.Backtesting;

/// <summary>A backtest's result as files (<c>backtest.json</c>, <c>decisions.csv</c>, <c>differences.csv</c>) and as the summary a
/// terminal shows.</summary>
public static class BacktestReport
{
    public static async Task<IReadOnlyList<string>> WriteAsync(BacktestResult result, DirectoryInfo directory)
    {
        directory.Create();
        var json = Path.Combine(directory.FullName, "backtest.json");
        var decisions = Path.Combine(directory.FullName, "decisions.csv");
        var differences = Path.Combine(directory.FullName, "differences.csv");
        await using (var stream = File.Create(json)) await JsonSerializer.SerializeAsync(stream, result, BacktestJsonContext.Default.BacktestResult);
        await WriteCsvAsync(decisions, ["run", "kind", "scope", "entity", "from", "to", "rule", "pillar", "at", "reason"], result.Decisions,
            d => [d.Run, d.Kind, Cell(d.Scope), Cell(d.Entity), d.From, d.To, Cell(d.Rule), d.Pillar, Time(d.At), Cell(d.Reason)]);
        await WriteCsvAsync(differences, ["scope", "entity", "status", "change", "inForceAt", "candidateAt", "hoursEarlier", "inForceRule", "candidateRule"],
            result.Differences, d => [Cell(d.Scope), Cell(d.Entity), d.Status, d.Change, Time(d.InForceAt), Time(d.CandidateAt),
                d.HoursEarlier?.ToString(CultureInfo.InvariantCulture) ?? "", Cell(d.InForceRule), Cell(d.CandidateRule)]);
        return [json, decisions, differences];
    }

    private static async Task WriteCsvAsync<T>(string path, string[] header, IEnumerable<T> rows, Func<T, string[]> cells)
    {
        await using var file = File.Create(path);
        await using var table = CsvWriter.Create(file, CsvWriterOptions.Default);
        table.WriteHeader(header);
        foreach (var row in rows) await table.WriteRecordAsync(cells(row));
    }

    private static string Time(DateTimeOffset? t) => t?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    public static void Print(BacktestResult r, TextWriter w, int maxDifferences = 40)
    {
        var a = r.Archive;
        w.WriteLine($"Archive: {a.Replayed:N0} events replayed ({Show(a.First)} .. {Show(a.Last)}), {a.Outside:N0} outside --from/--to, " +
                    $"{a.Refused:N0} refused" + (a.Refused == 0 ? "" : $" ({string.Join(", ", a.RefusedByReason.Select(x => $"{x.Key} {x.Value:N0}"))})"));
        w.WriteLine();
        w.WriteLine($"{"",-28}{"in force",12}{"candidate",12}");
        w.WriteLine($"{"entities put under review",-28}{r.InForce.Reviewed,12:N0}{r.Candidate.Reviewed,12:N0}");
        w.WriteLine($"{"entities paused",-28}{r.InForce.Paused,12:N0}{r.Candidate.Paused,12:N0}");
        w.WriteLine($"{"status changes",-28}{r.InForce.Transitions,12:N0}{r.Candidate.Transitions,12:N0}");
        w.WriteLine($"{"findings",-28}{r.InForce.Findings,12:N0}{r.Candidate.Findings,12:N0}");
        w.WriteLine();
        var byChange = r.Differences.GroupBy(d => d.Change).ToDictionary(g => g.Key, g => g.Count());
        w.WriteLine($"Reviews and pauses: {r.Unchanged:N0} unchanged, {byChange.GetValueOrDefault(DecisionDiff.Earlier):N0} earlier, " +
                    $"{byChange.GetValueOrDefault(DecisionDiff.Later):N0} later, {byChange.GetValueOrDefault(DecisionDiff.OnlyCandidate):N0} only with the candidate, " +
                    $"{byChange.GetValueOrDefault(DecisionDiff.OnlyInForce):N0} never with the candidate.");
        foreach (var d in r.Differences.Take(maxDifferences))
            w.WriteLine($"  {d.Scope} {d.Entity} {d.Status}: {Describe(d)}");
        if (r.Differences.Count > maxDifferences) w.WriteLine($"  ... {r.Differences.Count - maxDifferences:N0} more in differences.csv");
    }

    private static string Describe(DecisionDifference d) => d.Change switch
    {
        DecisionDiff.Earlier => $"{d.HoursEarlier:0.##} h earlier ({Show(d.CandidateAt)} instead of {Show(d.InForceAt)}, by {d.CandidateRule})",
        DecisionDiff.Later => $"{-d.HoursEarlier:0.##} h later ({Show(d.CandidateAt)} instead of {Show(d.InForceAt)}, by {d.CandidateRule})",
        DecisionDiff.OnlyCandidate => $"only with the candidate, at {Show(d.CandidateAt)} by {d.CandidateRule}",
        _ => $"never with the candidate (in force: {Show(d.InForceAt)} by {d.InForceRule})",
    };

    private static string Show(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
}
