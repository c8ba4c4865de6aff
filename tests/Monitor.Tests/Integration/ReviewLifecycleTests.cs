using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The review lifecycle through the broker, PostgreSQL and the operator API: review opens, an operator notes
/// and extends it, the (injected) clock passes the deadline with rates still high and it escalates to paused,
/// an operator resumes it; every step is a decision and an audit entry.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReviewLifecycleTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "600000000006";

    [Fact]
    public async Task Review_extend_deadline_escalation_and_operator_resume()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres, clock: clock);
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var id = $"rev-{i:D4}";
            var to = $"r{i}@gmail.com";
            var at = T0.AddSeconds(i);
            attempts.Add(SesJson.Attempt(id, Account, at, to));
            events.Add(i < 60 ? Bounce(id, Account, at, at.AddSeconds(30), to) : Delivery(id, Account, at, at.AddSeconds(30), to));
        }
        using var op = monitor.Client();
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        using var anonymous = monitor.Client(key: null);

        // Feedback comes after the sends, as it does in life: otherwise the first bounces are judged against a
        // partial count of sends (see the note on replays in docs).
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await Poll.UntilAsync(async () => (await viewer.GetAsync($"/v1/accounts/{Account}")) is { StatusCode: HttpStatusCode.OK } r
                ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").GetProperty("sent").GetInt64() : 0,
            sent => sent == 1000, TimeSpan.FromSeconds(60), "the sends to be counted");
        await monitor.ProduceAsync(monitor.EventsTopic, events);

        // 6 % hard bounces: under review, with the evidence.
        // The account, and its "marketing" configuration set (all its mail), each get a review.
        var page = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>("/v1/reviews?status=open"),
            p => p.GetProperty("items").GetArrayLength() == 2, TimeSpan.FromSeconds(60), "the open reviews");
        var reviews = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["account", "configuration-set"], reviews.Select(r => r.GetProperty("scope").GetString()!).OrderBy(x => x).ToArray());
        var reviewId = reviews.Single(r => r.GetProperty("scope").GetString() == "account").GetProperty("id").GetString()!;
        var review = await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}");
        Assert.Equal(Account, review.GetProperty("entity").GetString());
        Assert.Equal("bounce-rate-review", review.GetProperty("rule").GetString());
        Assert.Equal(0.05, review.GetProperty("evidence").GetProperty("threshold").GetProperty("value").GetDouble());
        var opened = review.GetProperty("openedAt").GetDateTimeOffset();
        Assert.Equal(opened.AddHours(72), review.GetProperty("deadline").GetDateTimeOffset());
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());

        // Roles: a viewer reads but does not act; nobody acts anonymously.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/v1/reviews/{reviewId}/notes", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/v1/accounts/{Account}/pause", new { reason = "x" })).StatusCode);

        // Notes and an extension.
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/v1/reviews/{reviewId}/notes", new { text = "customer imported an old list" })).StatusCode);
        var extend = await op.PostAsJsonAsync($"/v1/reviews/{reviewId}/extend", new { hours = 24, reason = "customer is cleaning the list" });
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        Assert.Equal("review-extended", (await extend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
        review = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}"),
            r => r.GetProperty("deadline").GetDateTimeOffset() == opened.AddHours(96), TimeSpan.FromSeconds(30), "the extended deadline");
        Assert.Equal("customer imported an old list", review.GetProperty("notes")[0].GetProperty("text").GetString());

        // The deadline passes with the rate still at 6 %: escalated to paused.
        clock.Advance(TimeSpan.FromHours(97));
        var account = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}"),
            a => a.GetProperty("status").GetString() == "paused", TimeSpan.FromSeconds(30), "the escalation");
        Assert.Equal("review-deadline-escalation", account.GetProperty("statusRule").GetString());
        Assert.Equal("escalated", (await viewer.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}")).GetProperty("status").GetString());
        var sending = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status");
        Assert.False(sending.GetProperty("sendingEnabled").GetBoolean());
        Assert.Contains("review deadline passed", sending.GetProperty("reason").GetString());

        // Resume needs a reason; then it is healthy again, and a second resume conflicts.
        var noReason = await op.PostAsJsonAsync($"/v1/accounts/{Account}/resume", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        var resume = await op.PostAsJsonAsync($"/v1/accounts/{Account}/resume", new { reason = "list cleaned, warm-up plan agreed" });
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("healthy", (await resume.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.True((await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status")).GetProperty("sendingEnabled").GetBoolean());
        // Its "marketing" configuration set went through the same review and escalation, and stays paused.
        var viaConfigSet = await viewer.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}/sending-status?configurationSet=marketing");
        Assert.False(viaConfigSet.GetProperty("sendingEnabled").GetBoolean());
        Assert.StartsWith("configuration-set paused", viaConfigSet.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsJsonAsync($"/v1/accounts/{Account}/resume", new { reason = "again" })).StatusCode);

        // Everything is on record: decisions with who decided, and the audit log.
        await using var db = new NpgsqlConnection(monitor.ConnectionString);
        var decisions = (await db.QueryAsync<(string Rule, string Actor)>(
            "SELECT rule, actor FROM decisions WHERE entity_id = @Account ORDER BY sequence", new { Account })).ToList();
        Assert.Equal([("bounce-rate-review", "rule"), ("review-extended", "env-operator"), ("review-deadline-escalation", "rule"),
            ("operator-resume", "env-operator")], decisions);
        var audit = (await db.QueryAsync<string>("SELECT action FROM audit_log WHERE entity_id = @Account ORDER BY id", new { Account })).ToList();
        Assert.Equal(["note", "extend", "resume"], audit);
    }
}
