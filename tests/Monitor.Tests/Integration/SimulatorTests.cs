using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Cli;
using ReputationMonitor.Simulation;
using ReputationMonitor.Tests.Support;
using ReputationMonitor.Engine;

namespace ReputationMonitor.Tests.Integration;

/// <summary><c>monitor simulate</c>: reproducible traffic, and scenarios that provoke the decisions they document.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SimulatorTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static List<SimulatedRecord> Take(int seed, SimulationScenario scenario, int messages)
    {
        var simulator = new TrafficSimulator(scenario, seed, 5, Start, 100, TimeSpan.FromMinutes(1));
        return Enumerable.Range(0, messages).SelectMany(_ => simulator.Next().Records).ToList();
    }

    [Fact]
    public void The_same_seed_gives_the_same_traffic_and_another_seed_other_traffic()
    {
        var a = Take(7, SimulationScenario.Steady, 2000);
        Assert.Equal(a, Take(7, SimulationScenario.Steady, 2000));
        Assert.NotEqual(a.Select(r => r.Json), Take(8, SimulationScenario.Steady, 2000).Select(r => r.Json));
        Assert.Equal(2000, a.Count(r => r.IsAttempt));
        Assert.Equal(4000, a.Count(r => !r.IsAttempt)); // a Send and an outcome per message
    }

    [Theory]
    [InlineData(1, new[] { "gmail.com" })]
    [InlineData(3, new[] { "gmail.com", "outlook.com", "yahoo.com" })]
    public void Traffic_spreads_over_exactly_the_providers_asked_for(int providers, string[] domains)
    {
        var simulator = new TrafficSimulator(SimulationScenario.Steady, 5, 5, Start, 100, TimeSpan.FromMinutes(1), providers);
        var seen = Enumerable.Range(0, 3000).SelectMany(_ => simulator.Next().Records).Where(r => r.IsAttempt)
            .SelectMany(r => JsonDocument.Parse(r.Json).RootElement.GetProperty("destinations").EnumerateArray())
            .Select(d => d.GetString()![(d.GetString()!.IndexOf('@') + 1)..]).ToHashSet();
        Assert.Equal(domains.Order(), seen.Order());
    }

    private async Task<(MonitorInstance Monitor, HttpClient Viewer, long Records)> Simulate(SimulationScenario scenario, int accounts, int rate, TimeSpan duration)
    {
        var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var options = new SimulateCommand.RunOptions(scenario, rate, duration, accounts, Seed: 3, DateTimeOffset.UtcNow,
            monitor.SendAttemptsTopic, monitor.EventsTopic);
        var output = new StringWriter();
        Assert.Equal(0, await SimulateCommand.RunAsync(new Kafka.KafkaClients(monitor.BootstrapServers, new Configuration.KafkaOptions()), options, output, TextWriter.Null, CancellationToken.None));
        Assert.Contains($"expect: {scenario.Expected}", output.ToString());
        var records = long.Parse(System.Text.RegularExpressions.Regex.Match(output.ToString(), @"\(([\d,]+) records\)").Groups[1].Value.Replace(",", ""));
        return (monitor, monitor.Client(MonitorInstance.ViewerKey), records);
    }

    /// <summary>Every scenario's records are read by the one-pass readers (none left to the slower reference reader),
    /// and read as the reference reads them.</summary>
    [Fact]
    public void Every_scenario_record_is_read_in_one_pass_as_the_reference_reads_it()
    {
        foreach (var scenario in SimulationScenario.All)
        foreach (var record in Take(11, scenario, 300))
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(record.Json);
            var (fast, reference) = record.IsAttempt
                ? (Core.Parsing.SendAttemptFastReader.TryRead(utf8), Core.Parsing.SendAttemptParser.ParseReference(utf8))
                : (Core.Parsing.SesEventFastReader.TryRead(utf8), Core.Parsing.SesEventParser.ParseReference(utf8));
            Assert.True(reference.IsSuccess, $"{scenario.Name}: {reference.Reason}");
            Assert.True(fast is not null, $"{scenario.Name}: the one-pass reader declined {record.Json}");
            Assert.Equal(JsonSerializer.Serialize(reference.Event!, Core.CoreJsonContext.Default.NormalizedEvent),
                JsonSerializer.Serialize(fast, Core.CoreJsonContext.Default.NormalizedEvent));
        }
    }

    [Fact]
    public async Task List_upload_pauses_its_subject_and_leaves_the_others_healthy()
    {
        var (monitor, viewer, _) = await Simulate(SimulationScenario.ListUpload, accounts: 2, rate: 3000, TimeSpan.FromSeconds(3));
        await using var _ = monitor;
        using var __ = viewer;
        var subject = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{TrafficSimulator.Subject}"),
            a => a?.GetProperty("status").GetString() == "paused", TimeSpan.FromSeconds(60), "the subject to be paused");
        Assert.Equal("bounce-rate-pause", subject!.Value.GetProperty("statusRule").GetString());
        var other = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{TrafficSimulator.AccountId(1)}");
        Assert.Equal("healthy", other.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mailbox_simulator_traffic_moves_no_rate()
    {
        var (monitor, viewer, records) = await Simulate(SimulationScenario.MailboxSimulator, accounts: 1, rate: 1500, TimeSpan.FromSeconds(2));
        await using var _ = monitor;
        using var __ = viewer;
        var account = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{TrafficSimulator.Subject}"), a => a is not null,
            TimeSpan.FromSeconds(60), "the subject's stats");
        // Give the stream the whole run: the simulator messages are all joined before we judge.
        await Poll.UntilAsync(() => Task.FromResult(monitor.Service<global::ReputationMonitor.Engine.ReputationEngineSettings>().RecordsProcessed), n => n >= records,
            TimeSpan.FromSeconds(60), "every record to be processed");
        account = await viewer.GetOrNullAsync($"/v1/accounts/{TrafficSimulator.Subject}");
        var totals = account!.Value.GetProperty("totals");
        Assert.Equal((0L, 0L, 0L), (totals.GetProperty("sent").GetInt64(), totals.GetProperty("hardBounces").GetInt64(), totals.GetProperty("complaints").GetInt64()));
        Assert.Equal("healthy", account.Value.GetProperty("status").GetString());
    }
}
