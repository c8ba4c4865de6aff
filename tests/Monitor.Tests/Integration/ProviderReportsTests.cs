using System.Text;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// Providers' own reports through the broker, PostgreSQL and the API: ARF complaints counted once with SES's own, DMARC
/// aggregate reports (zip, gzip, plain) summed per domain with their findings, the bulk-sender scorecard for a simulated
/// day, and every unreadable or unattributable report in the DLQ with its reason.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ProviderReportsTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "500000000020";
    private const string Reported = "0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-1b2c3d4e5f60-000000"; // the samples' Message-ID
    private const string Redacted = "0100019a3f1c2b7e-5d0e9a41-7c2b-4e8f-9a3d-1b2c3d4e5f60-000001";
    private static readonly DateTimeOffset Day = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero); // the DMARC samples' day

    private static byte[] Sample(string path) => File.ReadAllBytes(Path.Combine(Repository.Root, "samples", path));

    [Fact]
    public async Task Feedback_loops_and_dmarc_reports_reach_the_counts_the_domain_views_and_the_dlq()
    {
        // Gmail's bulk-sender line scaled down to 500 a day, so that a bulk day is 530 messages.
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new()
        {
            ["ProviderReports:AttributionWait"] = "00:00:02", ["Reputation:BulkSenders:DailyGmailVolume"] = "500",
        });

        // A simulated day for acme.example: 520 messages to Gmail (6 of all without one-click unsubscribe, 1 complaint),
        // 10 to Yahoo; and the two messages the feedback-loop samples report.
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 530; i++)
        {
            var id = $"day-{i:D5}";
            var to = i < 520 ? $"g{i}@gmail.com" : $"y{i}@yahoo.com";
            var at = Day.AddSeconds(i * 50);
            attempts.Add(AttemptFrom(id, Account, at, [to], source: "Acme Offers <offers@acme.example>", ip: "192.0.2.44", oneClick: i % 100 != 1));
            if (i == 3) events.Add(Complaint(id, Account, at, at.AddMinutes(5), to));
        }
        attempts.Add(AttemptFrom(Reported, Account, Day, ["lee@yahoo.com"], source: "Acme Offers <offers@acme.example>", ip: "192.0.2.44", oneClick: true));
        attempts.Add(AttemptFrom(Redacted, Account, Day, ["kim@hotmail.com"], source: "Acme Offers <offers@acme.example>", ip: "192.0.2.44", oneClick: true));
        events.Add(Complaint(Reported, Account, Day, Day.AddHours(1), "lee@yahoo.com")); // SES's own complaint for the same recipient
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        using var api = monitor.Client(MonitorInstance.ViewerKey);
        await Poll.UntilAsync(() => Get(api, $"/v1/accounts/{Account}"), a => a is { } v && v.GetProperty("totals").GetProperty("sent").GetInt64() == 532,
            TimeSpan.FromSeconds(60), "the day's sends");
        await monitor.ProduceAsync(monitor.EventsTopic, events); // after the sends: SesJson's events carry another From domain

        var jmrp = Encoding.ASCII.GetString(Sample("feedback-reports/microsoft-jmrp.eml")).Replace(Reported, Redacted);
        var unknown = Encoding.ASCII.GetString(Sample("feedback-reports/yahoo-cfl.eml")).Replace(Reported, "no-such-message");
        await monitor.ProduceRawAsync(monitor.FeedbackReportsTopic, [
            Sample("feedback-reports/yahoo-cfl.eml"), Sample("feedback-reports/yahoo-cfl.eml"), // a report delivered twice
            Encoding.ASCII.GetBytes(jmrp), Sample("feedback-reports/not-a-report.eml"), Encoding.ASCII.GetBytes(unknown),
        ]);
        await monitor.ProduceRawAsync(monitor.DmarcReportsTopic, [
            Sample("dmarc-reports/google.com!acme.example!1795737600!1795823999.zip"),
            Sample("dmarc-reports/enterprise.protection.outlook.com!acme.example!1795737600!1795823999.xml.gz"),
            Sample("dmarc-reports/yahoo.xml"), Sample("dmarc-reports/yahoo.com!acme.example!1795737600!1795823999.xml.gz"),
            Encoding.UTF8.GetBytes("<feedback><report_metadata>"),
        ]);

        // ARF: lee's complaint counted once with SES's; kim's (redacted, the message's only recipient) counted; 1 + 2 in all.
        var account = await Poll.UntilAsync(() => Get(api, $"/v1/accounts/{Account}"),
            a => a is { } v && v.GetProperty("totals").GetProperty("complaints").GetInt64() >= 3, TimeSpan.FromSeconds(60), "the ARF complaints");
        Assert.Equal(3, account!.Value.GetProperty("totals").GetProperty("complaints").GetInt64());
        var yahoo = account.Value.GetProperty("byProvider").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "yahoo");
        var microsoft = account.Value.GetProperty("byProvider").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "microsoft");
        Assert.Equal(1, yahoo.GetProperty("complaints").GetInt64());
        Assert.Equal(1, microsoft.GetProperty("complaints").GetInt64());
        var kim = await Poll.UntilAsync(() => Get(api, $"/v1/accounts/{Account}/suppressions/kim@hotmail.com"), k => k is not null,
            TimeSpan.FromSeconds(30), "kim's suppression");
        Assert.Equal("COMPLAINT", kim!.Value.GetProperty("reason").GetString());

        var dead = monitor.ReadTopic(monitor.DlqTopic, r => r.Count >= 3, TimeSpan.FromSeconds(30));
        Assert.Equal(["invalid_dmarc_report", "not_a_feedback_report", "unattributed_feedback_report"],
            dead.Select(r => Header(r, "reason").Split(':')[0]).Order());
        Assert.Contains("no message no-such-message", dead.Select(r => Header(r, "reason")).Single(r => r.StartsWith("unattributed")));

        // DMARC: three reporters (one report read twice) summed for the day, the failing sources, and the findings.
        var auth = await Poll.UntilAsync(() => Get(api, "/v1/domains/acme.example/authentication"),
            a => a is { } v && v.GetProperty("totals").GetProperty("messages").GetInt64() == 10037, TimeSpan.FromSeconds(30), "the DMARC reports");
        Assert.Equal(9775, auth!.Value.GetProperty("totals").GetProperty("dmarcPass").GetInt64());
        Assert.Equal(["google.com", "Enterprise Outlook", "Yahoo"], auth.Value.GetProperty("byReporter").EnumerateArray().Select(r => r.GetProperty("orgName").GetString()));
        Assert.Equal(["203.0.113.77", "198.51.100.9"], auth.Value.GetProperty("failingSources").EnumerateArray().Select(s => s.GetProperty("sourceIp").GetString()));
        var findings = await Poll.UntilAsync(() => Get(api, "/v1/findings?entity=acme.example&scope=domain"),
            f => f is { } v && v.GetProperty("items").GetArrayLength() == 2, TimeSpan.FromSeconds(30), "the DMARC findings");
        Assert.Equal(["dmarc-pass-rate", "dmarc-unauthenticated-sources"],
            findings!.Value.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).Order());

        // The scorecard: a Gmail bulk sender at a 0.19 % spam rate (warning), 1 % of its mail without one-click unsubscribe and
        // 95.2 % DMARC pass at Google (violations); Microsoft below its bulk threshold.
        static JsonElement Gmail(JsonElement card) => card.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "gmail");
        var card = await Poll.UntilAsync(() => Get(api, "/v1/domains/acme.example/compliance"),
            c => c is { } v && Gmail(v).GetProperty("dailyVolume").GetInt64() == 520, TimeSpan.FromSeconds(30), "the domain's day in the scorecard");
        var gmail = Gmail(card!.Value);
        Assert.True(gmail.GetProperty("bulkSender").GetBoolean());
        Assert.Equal("violation", gmail.GetProperty("status").GetString());
        var lines = gmail.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("requirement").GetString()!, l => l.GetProperty("status").GetString());
        Assert.Equal(("warning", "violation", "violation"), (lines["spam-rate"], lines["one-click-unsubscribe"], lines["dmarc"]));
        var outlook = card.Value.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "microsoft");
        Assert.False(outlook.GetProperty("bulkSender").GetBoolean());

        using var bad = await api.GetAsync("/v1/domains/acme.example/authentication?days=400");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("days", await bad.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement?> Get(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string?, byte[]> r, string name) =>
        Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(name));
}
