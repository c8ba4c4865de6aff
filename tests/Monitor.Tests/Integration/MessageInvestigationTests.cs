using System.Net.Http.Json;
using System.Text.Json;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.OperatorScenario;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// End to end (broker → stream and trace writer → PostgreSQL → HTTP): one bounced, one dropped for a rendering
/// failure, one dropped by the suppression list, one dropped for a virus and one refused request, each followed
/// through <c>GET /v1/messages/{id}</c> or <c>/attempts</c> to its diagnosis.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MessageInvestigationTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "910000000011";

    [Fact]
    public async Task Each_lost_message_is_diagnosed_where_it_was_lost()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, Attempts(Account));
        await monitor.ProduceAsync(monitor.EventsTopic, Events(Account));

        async Task<JsonElement> Message(string id, string status) => await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/messages/{id}"),
            m => m?.GetProperty("diagnosis").GetProperty("status").GetString() == status, TimeSpan.FromSeconds(60), $"{id} diagnosed {status}") ?? default;

        var bounced = await Message(BouncedMessage, "bounced");
        var diagnosis = bounced.GetProperty("diagnosis");
        Assert.Equal("recipient", diagnosis.GetProperty("stage").GetString());
        Assert.Equal(GmailUnknownUser, diagnosis.GetProperty("facts").GetProperty("diagnosticCode").GetString());
        Assert.Equal("invalid_recipient", diagnosis.GetProperty("facts").GetProperty("class").GetString());
        Assert.Equal(["Attempt"], [bounced.GetProperty("attempt").GetProperty("type").GetString()!]);
        var bounceEvent = bounced.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "Bounce");
        var recipient = bounceEvent.GetProperty("recipients")[0];
        Assert.Equal(("gmail", "invalid_recipient"), (recipient.GetProperty("provider").GetString(), recipient.GetProperty("class").GetString()));

        var rendering = (await Message(RenderingMessage, "dropped")).GetProperty("diagnosis");
        Assert.Equal("platform", rendering.GetProperty("stage").GetString());
        Assert.Equal(("firstName", "welcome"), (rendering.GetProperty("facts").GetProperty("missingAttribute").GetString(),
            rendering.GetProperty("facts").GetProperty("template").GetString()));

        var suppressed = (await Message(SuppressedMessage, "dropped")).GetProperty("diagnosis");
        Assert.Equal("account", suppressed.GetProperty("facts").GetProperty("suppressionList").GetString());

        var virus = (await Message(VirusMessage, "dropped")).GetProperty("diagnosis");
        Assert.Equal(("true", "Bad content"), (virus.GetProperty("facts").GetProperty("virus").GetString(),
            virus.GetProperty("facts").GetProperty("rejectReason").GetString()));

        // The refused request has no message id: it is found by account, outcome and code.
        var refused = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/attempts?outcome=rejected&code=MessageRejected"),
            p => p.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(60), "the refused attempt");
        var attempt = refused.GetProperty("items")[0];
        Assert.Equal(RefusedAttempt, attempt.GetProperty("attemptId").GetString());
        Assert.Equal(("not_accepted", "request", "MessageRejected"), (attempt.GetProperty("diagnosis").GetProperty("status").GetString(),
            attempt.GetProperty("diagnosis").GetProperty("stage").GetString(), attempt.GetProperty("diagnosis").GetProperty("facts").GetProperty("errorCode").GetString()));
        Assert.Equal(0, (await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/attempts?outcome=rejected&code=Throttling"))
            .GetProperty("items").GetArrayLength());
    }
}
