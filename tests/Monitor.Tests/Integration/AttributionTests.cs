using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Breakdowns through the broker, PostgreSQL and the API: a throttling problem shows where it is, and only there.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class AttributionTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "500000000005";
    private const string Throttle = "smtp; 421-4.7.28 [192.0.2.10] Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp";

    [Fact]
    public async Task Only_the_gmail_slice_is_throttled_in_every_breakdown()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var id = $"attr-{i:D3}";
            var gmail = i % 2 == 0;
            var to = gmail ? $"u{i}@gmail.com" : $"u{i}@outlook.com";
            var at = T0.AddSeconds(i);
            var config = i % 4 < 2 ? "marketing" : "receipts";
            attempts.Add(AttemptFrom(id, Account, at, [to], source: "News <news@news.acme.example>", configurationSet: config,
                tenant: "acme", pool: "shared-1", ip: "192.0.2.10"));
            if (gmail) events.Add(Delay(id, Account, at, at.AddSeconds(20), to, Throttle));
            events.Add(Delivery(id, Account, at, at.AddSeconds(60), to));
        }
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        using var api = monitor.Client(MonitorInstance.ViewerKey);
        var breakdown = await Poll.UntilAsync(() => Get(api, $"/v1/accounts/{Account}/breakdown?by=provider&window=1h"),
            b => b is { } v && Row(v, "gmail") is { } g && g.GetProperty("counts").GetProperty("delivered").GetInt64() == 50
                 && Row(v, "microsoft") is { } m && m.GetProperty("counts").GetProperty("delivered").GetInt64() == 50,
            TimeSpan.FromSeconds(60), "the provider breakdown");

        var gmailRow = Row(breakdown!.Value, "gmail")!.Value;
        var microsoftRow = Row(breakdown.Value, "microsoft")!.Value;
        Assert.Equal(50, gmailRow.GetProperty("counts").GetProperty("throttled").GetInt64());
        Assert.Equal(50, gmailRow.GetProperty("counts").GetProperty("delayed").GetInt64());
        Assert.Equal(1.0, gmailRow.GetProperty("rates").GetProperty("throttle").GetDouble());
        Assert.Equal(0, microsoftRow.GetProperty("counts").GetProperty("throttled").GetInt64());
        Assert.Equal(0, microsoftRow.GetProperty("counts").GetProperty("delayed").GetInt64());
        var top = gmailRow.GetProperty("topResponses")[0];
        Assert.Equal("gmail-4.7.28-rate", top.GetProperty("ruleId").GetString());
        Assert.Equal("throttled", top.GetProperty("class").GetString());
        Assert.Contains("rate-limits", top.GetProperty("explanation").GetString());
        Assert.Equal("ip", top.GetProperty("scope").GetString()); // "originating from your IP address": the IP is limited
        Assert.Equal(0, microsoftRow.GetProperty("topResponses").GetArrayLength());

        // The same throttling, seen by configuration set (split evenly), sending domain and IP.
        var byConfig = await Poll.UntilAsync(() => Get(api, $"/v1/accounts/{Account}/breakdown?by=configurationSet"),
            b => b is { } v && v.GetProperty("rows").GetArrayLength() == 2 && v.GetProperty("rows").EnumerateArray()
                .Sum(r => r.GetProperty("counts").GetProperty("delivered").GetInt64()) == 100, TimeSpan.FromSeconds(30), "the configuration-set breakdown");
        Assert.All(byConfig!.Value.GetProperty("rows").EnumerateArray(), r =>
        {
            Assert.Equal(50, r.GetProperty("counts").GetProperty("sent").GetInt64());
            Assert.Equal(25, r.GetProperty("counts").GetProperty("throttled").GetInt64());
        });

        var domain = await Get(api, "/v1/domains/news.acme.example");
        Assert.Equal(100, domain!.Value.GetProperty("totals").GetProperty("sent").GetInt64());
        var domainGmail = domain.Value.GetProperty("byProvider").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "gmail");
        Assert.Equal(50, domainGmail.GetProperty("throttled").GetInt64());
        Assert.Equal(Account, domain.Value.GetProperty("accounts")[0].GetProperty("accountId").GetString());

        var ip = await Get(api, "/v1/ips/192.0.2.10?window=1h");
        var ipMicrosoft = ip!.Value.GetProperty("byProvider").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "microsoft");
        Assert.Equal(0, ipMicrosoft.GetProperty("throttled").GetInt64());
        Assert.Equal(50, ip.Value.GetProperty("totals").GetProperty("throttled").GetInt64());

        var tenant = await Get(api, $"/v1/tenants/{Account}/acme");
        Assert.Equal(100, tenant!.Value.GetProperty("totals").GetProperty("sent").GetInt64());

        var gmailEverywhere = await Get(api, "/v1/providers/gmail?window=1h");
        Assert.Equal(50, gmailEverywhere!.Value.GetProperty("totals").GetProperty("throttled").GetInt64());
        Assert.Equal("gmail-4.7.28-rate", gmailEverywhere.Value.GetProperty("topResponses")[0].GetProperty("ruleId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/v1/providers/aol")).StatusCode);

        // Analysis pillar: a throttling finding for Gmail (on the account and on the sending IP), none for Microsoft.
        var findings = await Poll.UntilAsync(() => Get(api, $"/v1/findings?entity={Account}&pillar=analysis"),
            f => f is { } v && v.GetProperty("items").GetArrayLength() >= 2, TimeSpan.FromSeconds(30), "the throttling findings");
        var items = findings!.Value.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, f => Assert.Equal("provider-throttling:gmail", f.GetProperty("rule").GetString()));
        Assert.Contains(items, f => f.GetProperty("scope").GetString() == "account" && f.GetProperty("entity").GetString() == Account);
        Assert.Contains(items, f => f.GetProperty("scope").GetString() == "ip" && f.GetProperty("entity").GetString() == $"{Account}/192.0.2.10");
        Assert.Equal("gmail-4.7.28-rate", items[0].GetProperty("evidence").GetProperty("responses")[0].GetProperty("ruleId").GetString());
        // Gmail limited "your IP address": the IP's view shows the finding; the configuration sets' throttling is the IP's, not theirs.
        Assert.DoesNotContain(items, f => f.GetProperty("scope").GetString() == "configurationSet");
        var ipFindings = (await Get(api, "/v1/ips/192.0.2.10"))!.Value.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(ipFindings, f => f.GetProperty("rule").GetString() == "provider-throttling:gmail");
        var account = await Get(api, $"/v1/accounts/{Account}");
        Assert.Equal("healthy", account!.Value.GetProperty("status").GetString());   // findings warn, they do not act

        // Bad parameters name the field.
        var bad = await api.GetAsync($"/v1/accounts/{Account}/breakdown?by=planet&window=7d");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("by", out _));
        Assert.True(errors.TryGetProperty("window", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v1/domains/never.example")).StatusCode);
    }

    private static JsonElement? Row(JsonElement breakdown, string key) =>
        breakdown.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("key").GetString() == key).Cast<JsonElement?>().FirstOrDefault();

    private static async Task<JsonElement?> Get(HttpClient api, string path)
    {
        var r = await api.GetAsync(path);
        return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>() : null;
    }
}
