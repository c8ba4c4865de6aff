using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Operator-defined rules from configuration: a review action on the account, a finding on the sending IP.</summary>
[Collection(ApiCollection.Name)]
public sealed class CustomRulesTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "110000000011";

    [Fact]
    public async Task Configured_rules_review_the_account_and_raise_findings_on_an_ip()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, new Dictionary<string, string?>
        {
            ["Reputation:Rules:0:Id"] = "gmail-throttle-review",
            ["Reputation:Rules:0:Pillar"] = "analysis",
            ["Reputation:Rules:0:Scope"] = "account",
            ["Reputation:Rules:0:Provider"] = "gmail",
            ["Reputation:Rules:0:Metric"] = "throttleRate",
            ["Reputation:Rules:0:Window"] = "1h",
            ["Reputation:Rules:0:Threshold"] = "0.2",
            ["Reputation:Rules:0:MinVolume"] = "20",
            ["Reputation:Rules:0:Action"] = "review",
            ["Reputation:Rules:1:Id"] = "ip-delays",
            ["Reputation:Rules:1:Scope"] = "ip",
            ["Reputation:Rules:1:Metric"] = "delayRate",
            ["Reputation:Rules:1:Threshold"] = "0.1",
            ["Reputation:Rules:1:MinVolume"] = "20",
        });
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var id = $"cr-{i:D2}";
            var to = i % 2 == 0 ? $"c{i}@gmail.com" : $"c{i}@outlook.com";
            attempts.Add(AttemptFrom(id, Account, T0.AddSeconds(i), [to], ip: "192.0.2.77"));
            if (i % 2 == 0) events.Add(Delay(id, Account, T0.AddSeconds(i), T0.AddSeconds(i + 30), to, "421-4.7.28 unusual rate of unsolicited mail - gsmtp"));
        }
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        using var api = monitor.Client(MonitorInstance.ViewerKey);
        var account = (await Poll.UntilAsync(() => api.GetOrNullAsync($"/v1/accounts/{Account}"),
            a => a?.GetProperty("status").GetString() == "under_review", TimeSpan.FromSeconds(60), "the review"))!.Value;
        Assert.Equal("gmail-throttle-review", account.GetProperty("statusRule").GetString());
        Assert.Contains("throttleRate at gmail", account.GetProperty("statusReason").GetString());

        var findings = await Poll.UntilAsync(() => api.GetFromJsonAsync<JsonElement>($"/v1/findings?entity={Account}&scope=ip"),
            f => f.GetProperty("items").GetArrayLength() >= 1, TimeSpan.FromSeconds(30), "the IP finding");
        var finding = findings.GetProperty("items")[0];
        Assert.Equal(("rule:ip-delays", $"{Account}/192.0.2.77"), (finding.GetProperty("rule").GetString(), finding.GetProperty("entity").GetString()));
    }
}
