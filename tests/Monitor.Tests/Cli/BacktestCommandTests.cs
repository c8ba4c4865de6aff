using System.Text.Json;
using ReputationMonitor.Tests.Backtesting;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Cli;

/// <summary><c>monitor backtest</c> as an operator runs it: the known archive, a candidate file, the report printed and written.</summary>
public sealed class BacktestCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-backtest-");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Prints_and_writes_the_decisions_and_their_differences_and_refuses_a_candidate_with_an_unknown_key()
    {
        var archive = Write("archive.jsonl", string.Join('\n', KnownArchive.Lines()) + "\n{not json\n");
        var candidate = Write("candidate.json", KnownArchive.CandidateRules);
        var output = Path.Combine(_dir.FullName, "out");

        using (var run = new MonitorProcess($"backtest --rules \"{candidate}\" --file \"{archive}\" --out \"{output}\""))
        {
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains("1,600 events replayed", run.Stdout);
            Assert.Contains("1 refused (invalid_json 1)", run.Stdout);
            Assert.Contains("0 unchanged, 4 earlier, 0 later, 2 only with the candidate, 0 never with the candidate", run.Stdout);
            Assert.Contains($"account {KnownArchive.Rising} paused: 0", run.Stdout);
            Assert.Contains("100 %", run.Stderr); // the progress bar
        }
        var differences = File.ReadAllLines(Path.Combine(output, "differences.csv"));
        Assert.Equal("scope,entity,status,change,inForceAt,candidateAt,hoursEarlier,inForceRule,candidateRule", differences[0]);
        Assert.Equal(6, differences.Length - 1);
        Assert.Contains(differences, l => l.StartsWith($"account,{KnownArchive.Steady},under_review,only-candidate,,", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "backtest.json")));
        Assert.Equal(4, json.RootElement.GetProperty("candidate").GetProperty("reviewed").GetInt32());
        Assert.True(File.ReadAllLines(Path.Combine(output, "decisions.csv")).Length > 6);

        // The rules in force from a file: the candidate's own thresholds, so nothing differs.
        var inForce = Write("in-force.json", $$"""{"Reputation": {{KnownArchive.CandidateRules}}}""");
        using (var same = new MonitorProcess($"backtest --rules \"{candidate}\" --in-force \"{inForce}\" --file \"{archive}\" --out \"{output}-same\""))
        {
            Assert.Equal(0, await same.WaitAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains("6 unchanged, 0 earlier, 0 later, 0 only with the candidate, 0 never with the candidate", same.Stdout);
        }

        // A typo is not "no change": refused, naming the key; an invalid value names its key too.
        var typo = Write("typo.json", """{"Thresholds": {"BounceReveiw": 0.03}}""");
        using (var refused = new MonitorProcess($"backtest --rules \"{typo}\" --file \"{archive}\" --out \"{output}-typo\""))
        {
            Assert.Equal(2, await refused.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("BounceReveiw", refused.Stderr);
        }
        var invalid = Write("invalid.json", """{"Thresholds": {"BounceReview": 3}}""");
        using (var refused = new MonitorProcess($"backtest --rules \"{invalid}\" --file \"{archive}\" --out \"{output}-invalid\""))
        {
            Assert.Equal(2, await refused.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Reputation:Thresholds:BounceReview must be a fraction", refused.Stderr);
        }
        Assert.False(Directory.Exists(output + "-typo"));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
