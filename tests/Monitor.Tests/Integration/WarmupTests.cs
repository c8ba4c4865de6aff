using System.Net;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>A dedicated IP's first three days through the broker; the third overshoots Gmail's allowance.</summary>
[Collection(BesideCollection.Name)]
public sealed class WarmupTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task An_ip_that_overshoots_gmail_on_day_three_shows_it_in_its_warmup_and_a_finding()
    {
        const string account = "600000000031", ip = "198.51.100.77";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        var start = T0.AddDays(-3);
        var attempts = new List<string>();
        var events = new List<string>();
        void Day(int day, string domain, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var (id, to, at) = ($"wu-{day}-{domain}-{i:D3}", $"r{i}@{domain}", start.AddDays(day - 1).AddHours(4).AddSeconds(i * 10));
                attempts.Add(AttemptFrom(id, account, at, [to], pool: "dedicated-a", ip: ip));
                events.Add(Delivery(id, account, at, at.AddSeconds(2), to));
            }
        }
        Day(1, "gmail.com", 40);   // allowed 50
        Day(2, "gmail.com", 90);   // allowed 100
        Day(3, "gmail.com", 500);  // allowed 200
        Day(3, "yahoo.com", 100);  // allowed 400
        // Attempts before outcomes (an outcome that outwaits the join grace for its attempt would count without the IP).
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/ips/{ip}/warmup"),
            v => v is not null && Provider(v.Value, "gmail").GetProperty("sent").GetInt64() == 500, TimeSpan.FromSeconds(90), "the sends");
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        var view = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/ips/{ip}/warmup"),
            v => v?.GetProperty("findings").GetArrayLength() > 0 && Provider(v.Value, "gmail").GetProperty("sent").GetInt64() == 500,
            TimeSpan.FromSeconds(90), "day 3 counted and its finding");
        var w = view!.Value.GetProperty("warmup");
        Assert.Equal(("dedicated-a", 3, 14, "over"), (w.GetProperty("pool").GetString(), w.GetProperty("day").GetInt32(), w.GetProperty("days").GetInt32(),
            w.GetProperty("status").GetString()));
        var gmail = Provider(view.Value, "gmail");
        Assert.Equal((200, 500, "over"), (gmail.GetProperty("allowed").GetInt64(), gmail.GetProperty("sent").GetInt64(), gmail.GetProperty("status").GetString()));
        var yahoo = Provider(view.Value, "yahoo");
        Assert.Equal((400, 100, "ok"), (yahoo.GetProperty("allowed").GetInt64(), yahoo.GetProperty("sent").GetInt64(), yahoo.GetProperty("status").GetString()));
        var finding = Assert.Single(view.Value.GetProperty("findings").EnumerateArray());
        Assert.Equal(("warmup-overshoot:gmail", "prevention"), (finding.GetProperty("rule").GetString(), finding.GetProperty("pillar").GetString()));
        Assert.Equal([account], view.Value.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/v1/ips/203.0.113.250/warmup")).StatusCode);
    }

    private static JsonElement Provider(JsonElement view, string provider) =>
        view.GetProperty("warmup").GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == provider);
}
