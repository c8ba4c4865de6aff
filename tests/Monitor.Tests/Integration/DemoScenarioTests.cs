using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Cli;
using ReputationMonitor.Simulation;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Every scenario of the README's table (what <c>make demo SCENARIO=...</c> runs) provokes the decision the table promises,
/// through the real broker, stream and database. The promises are written here by hand, from the README.
/// </summary>
[Collection(BesideCollection.Name)]
public sealed class DemoScenarioTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly string Subject = TrafficSimulator.Subject;

    /// <summary>What each scenario must end in: the subject's status (null: the scenario promises none) and the rule that
    /// set it, findings (rule names, as prefixes) about the subject, words the status reason must hold, and whether the
    /// other accounts stay healthy (not when the scenario is a provider's problem with everyone's mail).</summary>
    private sealed record Promise(string? Status, string? Rule = null, string[]? Findings = null, string? ReasonNames = null,
        bool NoRate = false, bool OthersHealthy = true);

    private static readonly Dictionary<string, Promise> Promises = new()
    {
        ["steady"] = new("healthy"),
        ["list-upload"] = new("paused", "bounce-rate-pause"),
        ["complaint-spike"] = new("paused", "complaint-rate-pause"),
        ["gmail-throttling"] = new(null, Findings: ["provider-throttling", "provider-reputation-block"], OthersHealthy: false),
        ["blocklisted-ip"] = new("under_review", "bounce-rate-review", Findings: ["provider-blocklisting"]),
        ["compromised-credentials"] = new("paused", "compromise-suspected", ReasonNames: "leaked-key@203.0.113.99"),
        ["new-sender"] = new("healthy", Findings: ["new-sender:bounce"]),
        ["mailbox-simulator"] = new("healthy", NoRate: true),
    };

    [Fact]
    public void The_README_s_table_lists_every_scenario_and_each_has_a_promise_here()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var listed = System.Text.RegularExpressions.Regex.Matches(readme, @"^\| `([a-z-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(SimulationScenario.All.Select(s => s.Name).Order(), listed.Order());
        Assert.Equal(SimulationScenario.All.Select(s => s.Name).Order(), Promises.Keys.Order());
    }

    /// <summary>Every scenario against its own instance (the subject is account 1 of every run), a few at a time: the
    /// suite shares two cores.</summary>
    [Fact]
    public async Task Every_demo_scenario_provokes_the_decision_it_promises()
    {
        using var slots = new SemaphoreSlim(3);
        var failures = await Task.WhenAll(SimulationScenario.All.Select(async scenario =>
        {
            await slots.WaitAsync();
            try { return await RunAsync(scenario); }
            finally { slots.Release(); }
        }));
        var failed = failures.OfType<string>().ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    private async Task<string?> RunAsync(SimulationScenario scenario)
    {
        var promise = Promises[scenario.Name];
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var output = new StringWriter();
        // Two accounts (the subject and one healthy one), 10,000 records: enough volume for every rule's minimum, little
        // enough for the suite's two cores.
        var options = new SimulateCommand.RunOptions(scenario, Rate: 2000, TimeSpan.FromSeconds(5), Accounts: 2, Seed: 5, DateTimeOffset.UtcNow,
            monitor.SendAttemptsTopic, monitor.EventsTopic);
        if (await SimulateCommand.RunAsync(new Kafka.KafkaClients(monitor.BootstrapServers, new Configuration.KafkaOptions()), options, output,
                TextWriter.Null, CancellationToken.None) != 0) return $"{scenario.Name}: records failed to produce";

        // The whole run processed before judging: the promise is where the scenario ends, not a moment on the way.
        var records = long.Parse(System.Text.RegularExpressions.Regex.Match(output.ToString(), @"\(([\d,]+) records\)").Groups[1].Value.Replace(",", ""));
        var history = scenario.History is { } h ? (long)(SimulateCommand.HistoryMessagesPerAccountHour * options.Accounts * h.TotalHours) * 3 : 0;
        try
        {
            // Generous: the other collections run beside this one on the same two cores.
            await Poll.UntilAsync(() => Task.FromResult(monitor.Service<Engine.ReputationEngineSettings>().RecordsProcessed), n => n >= records + history,
                TimeSpan.FromSeconds(240), $"{scenario.Name}: every record processed");
            var account = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{Subject}"),
                a => a is not null && (promise.Status is null || a?.GetProperty("status").GetString() == promise.Status)
                    && (promise.Rule is null || a?.GetProperty("statusRule").GetString() == promise.Rule),
                TimeSpan.FromSeconds(60), $"{scenario.Name}: the subject {promise.Status}{(promise.Rule is null ? "" : $" by {promise.Rule}")}");
            if (promise.ReasonNames is { } words && account?.GetProperty("statusReason").GetString()?.Contains(words, StringComparison.Ordinal) != true)
                return $"{scenario.Name}: the reason '{account?.GetProperty("statusReason")}' does not name {words}";
            foreach (var rule in promise.Findings ?? [])
                await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/findings?entity={Subject}&pageSize=1000"),
                    page => page.GetProperty("items").EnumerateArray().Any(f => f.GetProperty("rule").GetString()!.StartsWith(rule, StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(30), $"{scenario.Name}: a {rule} finding");
            if (promise.NoRate && account?.GetProperty("totals").GetProperty("sent").GetInt64() != 0)
                return $"{scenario.Name}: simulator traffic was counted ({account?.GetProperty("totals")})";
            // The other accounts send healthy mail: nothing happens to them.
            foreach (var other in promise.OthersHealthy ? new[] { TrafficSimulator.AccountId(1) } : [])
                if ((await viewer.GetOrNullAsync($"/v1/accounts/{other}"))?.GetProperty("status").GetString() is { } s && s != "healthy")
                    return $"{scenario.Name}: account {other} is {s}";
            return null;
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            var now = await viewer.GetOrNullAsync($"/v1/accounts/{Subject}");
            return $"{scenario.Name}: {e.Message} (subject now: {now?.GetProperty("status")} {now?.GetProperty("statusRule")} {now?.GetProperty("statusReason")})";
        }
    }
}
