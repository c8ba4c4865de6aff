using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Persistence;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>A day of traffic whose bounce rate rose in its last hours: the forecast reaches the API, the findings and the gauge's
/// count, while the account is still healthy.</summary>
[Collection(BesideCollection.Name)]
public sealed class ForecastTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_rising_bounce_rate_is_forecast_on_the_account_and_its_ip_and_raises_a_finding_before_any_review()
    {
        const string account = "600000000021", ip = "198.51.100.21";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new() { ["Reputation:Forecast:Horizon"] = "08:00:00" });
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        // 24 hours of 200 recipients: 1 % bounces for 18 hours, then 10 % (3.25 % over the day). Worked out in the core's
        // ForecastTests: at this trend the window reaches 5 % when the fifth old hour has left (about 5 h), and 10 % after 18 h.
        var start = T0.AddDays(-2);
        var attempts = new List<string>();
        var events = new List<string>();
        for (var hour = 0; hour < 24; hour++)
        for (var i = 0; i < 200; i++)
        {
            var (id, to, at) = ($"fc-{hour:D2}-{i:D3}", $"r{hour}-{i}@gmail.com", start.AddHours(hour).AddSeconds(i * 17));
            attempts.Add(AttemptFrom(id, account, at, [to], ip: ip));
            var bounces = hour < 18 ? i < 2 : i < 20;
            events.Add(bounces ? Bounce(id, account, at, at.AddSeconds(5), to) : Delivery(id, account, at, at.AddSeconds(5), to));
        }
        // The day's attempts first, then its outcomes: an archived day dumped at once would otherwise reach the stream in any
        // order across partitions, and an outcome that waits longer than the join grace (in event time) for its attempt is
        // counted from its own mail object, which names no IP.
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("totals").GetProperty("sent").GetInt64() == 4800, TimeSpan.FromSeconds(90), "the day's sends");
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        var read = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("totals").GetProperty("hardBounces").GetInt64() == 18 * 2 + 6 * 20 && a.Value.GetProperty("totals").GetProperty("sent").GetInt64() == 4800
                 && a.Value.GetProperty("forecast").ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(90), "the day counted and forecast");
        var a = read!.Value;
        Assert.Equal("healthy", a.GetProperty("status").GetString());
        var bounce = a.GetProperty("forecast").GetProperty("bounce");
        Assert.Equal(0.10, bounce.GetProperty("trend").GetDouble(), 3);
        Assert.InRange(bounce.GetProperty("review").GetProperty("expectedInHours").GetDouble(), 4.5, 5.5);
        Assert.InRange(bounce.GetProperty("pause").GetProperty("expectedInHours").GetDouble(), 17.5, 18.5);
        Assert.False(a.GetProperty("forecast").GetProperty("complaint").TryGetProperty("review", out var complaintReview)
                     && complaintReview.ValueKind != JsonValueKind.Null); // no complaints, no crossing

        // The IP the mail left from carries the same trend.
        var byIp = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/ips/{ip}"),
            d => d?.GetProperty("forecast").ValueKind == JsonValueKind.Object && d.Value.GetProperty("totals").GetProperty("sent").GetInt64() == 4800,
            TimeSpan.FromSeconds(30), "the IP's forecast over the whole day");
        Assert.InRange(byIp!.Value.GetProperty("forecast").GetProperty("bounce").GetProperty("review").GetProperty("expectedInHours").GetDouble(), 4.5, 5.5);

        // A finding on the account (monitoring pillar), nothing on its status.
        var findings = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/findings?entity={account}&scope=account"),
            f => f.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("rule").GetString() == "forecast-review:bounce"),
            TimeSpan.FromSeconds(30), "the forecast-review finding");
        var finding = findings.GetProperty("items").EnumerateArray().First(i => i.GetProperty("rule").GetString() == "forecast-review:bounce");
        Assert.Equal("monitoring", finding.GetProperty("pillar").GetString());
        Assert.Contains("heading for 5.00 %", finding.GetProperty("reason").GetString());
        Assert.DoesNotContain(findings.GetProperty("items").EnumerateArray(), i => i.GetProperty("rule").GetString() == "forecast-pause:bounce");

        // What the forecast gauge counts: the account and its IP (and its configuration set), within eight hours at 90 %.
        var counts = await monitor.Service<ReadStore>().CountForecastCrossingsAsync(8, CancellationToken.None);
        Assert.Equal((1L, 0L), counts.Where(r => r.Kind == "account").Select(r => (r.Review, r.Pause)).Single());
        Assert.Equal((1L, 0L), counts.Where(r => r.Kind == "ip").Select(r => (r.Review, r.Pause)).Single());
        Assert.DoesNotContain(await monitor.Service<ReadStore>().CountForecastCrossingsAsync(1, CancellationToken.None), r => r.Review + r.Pause > 0);
    }
}
