using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Accounts measured as SES measures them: the account read says which measure produced its rates.</summary>
[Collection(BesideCollection.Name)]
public sealed class RepresentativeVolumeTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task A_low_volume_sender_is_reviewed_over_its_last_300_recipients_and_the_read_says_so()
    {
        const string account = "600000000041";
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new()
        {
            ["Reputation:Evaluation:Scopes:account:Mode"] = "representativeVolume",
            ["Reputation:Evaluation:Scopes:account:Volume"] = "300",
        });
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        // 50 recipients a day for 10 days, 4 of them bouncing (8 %): never 200 in a day. Day by day, as they happened: an
        // outcome a day older than the stream's newest event would be late (the long window's lateness rule).
        var day0 = T0.AddDays(-10);
        for (var d = 0; d < 10; d++)
        {
            var attempts = new List<string>();
            var events = new List<string>();
            for (var i = 0; i < 50; i++)
            {
                var (id, to, at) = ($"rvi-{d}-{i:D2}", $"r{d}-{i}@gmail.com", day0.AddDays(d).AddHours(12).AddSeconds(i));
                attempts.Add(Attempt(id, account, at, to));
                events.Add(i < 4 ? Bounce(id, account, at, at.AddSeconds(1), to) : Delivery(id, account, at, at.AddSeconds(1), to));
            }
            await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts, key: account);
            await monitor.ProduceAsync(monitor.EventsTopic, events, key: account);
            var dayEnd = day0.AddDays(d).AddHours(12).AddSeconds(50);
            await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
                a => a?.GetProperty("asOf").ValueKind == JsonValueKind.String && a.Value.GetProperty("asOf").GetDateTimeOffset() >= dayEnd,
                TimeSpan.FromSeconds(60), $"day {d} processed");
        }

        var read = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
            a => a?.GetProperty("status").GetString() == "under_review" && a.Value.GetProperty("totals").GetProperty("sent").GetInt64() == 300,
            TimeSpan.FromSeconds(90), "the account reviewed over its last 300 recipients");
        var window = read!.Value.GetProperty("window");
        Assert.Equal(("representativeVolume", 300), (window.GetProperty("mode").GetString(), window.GetProperty("volume").GetInt64()));
        // Day 9 from the hours and days 8 to 4 from the history: six days of 50, 24 bounces.
        Assert.Equal(new DateTimeOffset(day0.AddDays(4).UtcDateTime.Date, TimeSpan.Zero), window.GetProperty("start").GetDateTimeOffset()); // days start at 00:00 UTC
        Assert.Equal(0, read.Value.GetProperty("lateEvents").GetInt64());
        Assert.Equal(0.08, read.Value.GetProperty("rates").GetProperty("bounce").GetDouble(), 6);
        var reviews = await viewer.GetFromJsonAsync<JsonElement>("/v1/reviews?status=open");
        var review = Assert.Single(reviews.GetProperty("items").EnumerateArray(), r => r.GetProperty("entity").GetString() == account);
        Assert.Contains("\"mode\":\"representativeVolume\"", review.GetProperty("evidence").GetRawText()); // the decision says how it measured
    }
}
