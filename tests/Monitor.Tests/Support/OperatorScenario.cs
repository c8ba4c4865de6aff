using System.Net.Http.Json;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// One account's day, as input records: 400 Gmail sends through a pool, an IP and a tenant, 6 % of them hard
/// bounces (a review opens), plus one message lost at each place mail gets lost: a refused request, a rendering
/// failure, an account-suppression drop, a virus reject and a bounce with Gmail's own diagnostic code.
/// </summary>
public static class OperatorScenario
{
    public const int Sends = 400, Bounces = 24;

    /// <summary>Recipients SES did not send to: the rendering failure and the virus (the suppression drop counts as suppressed).</summary>
    public const int Rejected = 2;
    public const string BouncedMessage = "diag-bounce", RenderingMessage = "diag-render", SuppressedMessage = "diag-suppressed",
        VirusMessage = "diag-virus", RefusedAttempt = "diag-refused", Ip = "192.0.2.10", Tenant = "tenant-a", Pool = "shared-1";
    public const string GmailUnknownUser = "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos.";

    private static string Send(string id, string account, DateTimeOffset at, string to) =>
        AttemptFrom(id, account, at, [to], tenant: Tenant, pool: Pool, ip: Ip);

    /// <summary>Message ids are unique per account (as SES's are): <paramref name="ids"/> prefixes them when several accounts run the day.</summary>
    private static string Id(string? ids, string name) => ids is null ? name : $"{ids}-{name}";

    public static List<string> Attempts(string account, string? ids = null)
    {
        var attempts = Enumerable.Range(0, Sends).Select(i => Send(Id(ids, i == 0 ? BouncedMessage : $"day-{i:D4}"), account, T0.AddSeconds(i), $"r{i}@gmail.com")).ToList();
        attempts.Add(Send(Id(ids, RenderingMessage), account, T0.AddSeconds(500), "render@gmail.com"));
        attempts.Add(Send(Id(ids, SuppressedMessage), account, T0.AddSeconds(501), "listed@gmail.com"));
        attempts.Add(Send(Id(ids, VirusMessage), account, T0.AddSeconds(502), "virus@gmail.com"));
        attempts.Add(RejectedAttempt(Id(ids, RefusedAttempt), account, T0.AddSeconds(503), "MessageRejected", "refused@gmail.com"));
        return attempts;
    }

    public static List<string> Events(string account, string? ids = null)
    {
        var events = Enumerable.Range(0, Sends).Select(i =>
        {
            var id = Id(ids, i == 0 ? BouncedMessage : $"day-{i:D4}");
            var at = T0.AddSeconds(i);
            return i < Bounces ? Bounce(id, account, at, at.AddSeconds(20), $"r{i}@gmail.com", diagnostic: GmailUnknownUser)
                : Delivery(id, account, at, at.AddSeconds(20), $"r{i}@gmail.com");
        }).ToList();
        events.Add(RenderingFailure(Id(ids, RenderingMessage), account, T0.AddSeconds(500), "welcome",
            "Attribute 'firstName' is not present in the rendering data.", "render@gmail.com"));
        events.Add(Bounce(Id(ids, SuppressedMessage), account, T0.AddSeconds(501), T0.AddSeconds(502), "listed@gmail.com",
            subType: "OnAccountSuppressionList", diagnostic: "Amazon SES did not send the message to this address because it is on the suppression list for your account."));
        events.Add(Reject(Id(ids, VirusMessage), account, T0.AddSeconds(502), "Bad content", "virus@gmail.com"));
        return events;
    }

    /// <summary>
    /// After every account's whole day has been processed (by however many instances and runtimes): exact totals, each
    /// account under review, and 3 reviews per account in the API and in PostgreSQL — none twice.
    /// </summary>
    public static async Task AssertEveryDayEndedAsync(MonitorInstance instance, IReadOnlyCollection<string> accounts)
    {
        using var viewer = instance.Client(MonitorInstance.ViewerKey);
        await AssertEveryDayEndedAsync(viewer, instance.ConnectionString, accounts);
    }

    /// <inheritdoc cref="AssertEveryDayEndedAsync(MonitorInstance, IReadOnlyCollection{string})"/>
    public static async Task AssertEveryDayEndedAsync(HttpClient viewer, string connectionString, IReadOnlyCollection<string> accounts)
    {
        foreach (var account in accounts)
        {
            var x = await Poll.UntilAsync(() => viewer.GetOrNullAsync($"/v1/accounts/{account}"),
                // Deliveries and bounces come through different input partitions, statistics and status through different
                // output topics (account-stats, actions): wait for all of them to be final.
                v => v?.GetProperty("totals") is { } t && t.GetProperty("delivered").GetInt64() == Sends - Bounces
                     && t.GetProperty("hardBounces").GetInt64() == Bounces && v.Value.GetProperty("status").GetString() != "healthy",
                TimeSpan.FromSeconds(90), $"the final counts and status of {account}");
            var totals = x!.Value.GetProperty("totals");
            Assert.Equal((Sends + 3L, (long)Bounces, (long)Rejected), (totals.GetProperty("sent").GetInt64(), totals.GetProperty("hardBounces").GetInt64(),
                totals.GetProperty("rejected").GetInt64()));
            Assert.Equal("under_review", x.Value.GetProperty("status").GetString());
        }
        var reviews = await Poll.UntilAsync(() => viewer.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/reviews?status=open&pageSize=1000"),
            p => p.GetProperty("items").GetArrayLength() >= 3 * accounts.Count, TimeSpan.FromSeconds(60), "every review");
        Assert.Equal(3 * accounts.Count, reviews.GetProperty("items").GetArrayLength());
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        Assert.Equal(3 * accounts.Count, await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, "SELECT count(*) FROM decisions"));
    }
}
