using System.Text.RegularExpressions;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Cli;

/// <summary>
/// <c>monitor run</c> at a terminal writes its banner, then single-line text logs and the live counter line, whole;
/// with its output redirected (a file, a pipe, a container's log) the same lines are JSON.
/// </summary>
[Collection(LongIntegrationCollection.Name)]
public sealed partial class TerminalLogTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Logs_are_text_on_a_terminal_and_json_otherwise(bool onTerminal)
    {
        var settings = MonitorInstance.Settings(MonitorInstance.NewPrefix(), kafka.BootstrapServers, await postgres.CreateDatabaseAsync());
        settings["Logging:LogLevel:Default"] = "Information";
        var (service, client) = await MonitorProcess.RunServiceAsync(settings, MonitorInstance.ViewerKey, onTerminal);
        using var _ = service;
        using var __ = client;
        // The live line comes every 5 s after the banner.
        var output = await Poll.UntilAsync(() => Task.FromResult(service.Stdout), o => o.Contains("[live] stream=", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the live counter line");
        // A terminal gets the level in colour: compare the text without the escape sequences.
        var lines = output.Split('\n').Select(l => Colour().Replace(l.TrimEnd('\r'), "")).ToList();

        Assert.Contains(lines, l => l.Contains("Reputation Monitor is running", StringComparison.Ordinal));
        var started = lines.Single(l => l.Contains("Monitor started", StringComparison.Ordinal));
        if (onTerminal) Assert.Matches(TextLine(), started);
        else Assert.StartsWith("{", started, StringComparison.Ordinal);
        // The live line is a line of its own: nothing written into it.
        Assert.All(lines.Where(l => l.Contains("[live]", StringComparison.Ordinal)), l => Assert.Matches(LiveLine(), l));
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d info: ReputationMonitor\.Hosting\.StartupBanner\[\d+\] Monitor started: API http://127\.0\.0\.1:\d+")]
    private static partial Regex TextLine();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[a-zA-Z=]|\x1b[=>]")]
    private static partial Regex Colour();

    [GeneratedRegex(@"^\[live\] stream=\S+ events=\d+ dlq=\d+ decisions=\d+ waiting-for-attempt=\d+ db-writes=\d+ db-errors=\d+$")]
    private static partial Regex LiveLine();
}
