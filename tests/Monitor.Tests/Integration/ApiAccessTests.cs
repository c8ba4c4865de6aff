using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// WebApplicationFactory tests of the API's access rules and validation, against the real broker and PostgreSQL:
/// every route refuses a missing or unknown key (401) and a role below its own (403); every validation error is
/// ProblemDetails naming the field at fault.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiAccessTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Viewer = "viewer", Operator = "operator", Admin = "admin";

    /// <summary>The design's access contract, written out by hand (not read from the endpoints it checks).</summary>
    private static readonly (string Method, string Pattern, string Role)[] Routes =
    [
        ("GET", "/v1/accounts", Viewer),
        ("GET", "/v1/accounts/{accountId}", Viewer),
        ("GET", "/v1/accounts/{accountId}/sending-status", Viewer),
        ("GET", "/v1/accounts/{accountId}/breakdown", Viewer),
        ("GET", "/v1/accounts/{accountId}/attempts", Viewer),
        ("GET", "/v1/accounts/{accountId}/dimensions", Viewer),
        ("GET", "/v1/accounts/{accountId}/decisions", Viewer),
        ("GET", "/v1/accounts/{accountId}/rates", Viewer),
        ("POST", "/v1/accounts/{accountId}/pause", Operator),
        ("POST", "/v1/accounts/{accountId}/resume", Operator),
        ("POST", "/v1/configuration-sets/{accountId}/{value}/pause", Operator),
        ("POST", "/v1/configuration-sets/{accountId}/{value}/resume", Operator),
        ("POST", "/v1/tenants/{accountId}/{value}/pause", Operator),
        ("POST", "/v1/tenants/{accountId}/{value}/resume", Operator),
        ("GET", "/v1/accounts/{accountId}/suppressions", Viewer),
        ("GET", "/v1/accounts/{accountId}/suppressions/export", Viewer),
        ("GET", "/v1/accounts/{accountId}/suppressions/{email}", Viewer),
        ("PUT", "/v1/accounts/{accountId}/suppressions/{email}", Operator),
        ("DELETE", "/v1/accounts/{accountId}/suppressions/{email}", Operator),
        ("POST", "/v1/accounts/{accountId}/suppressions/import", Operator),
        ("GET", "/v1/reviews", Viewer),
        ("GET", "/v1/reviews/due", Viewer),
        ("GET", "/v1/reviews/{id:guid}", Viewer),
        ("POST", "/v1/reviews/{id:guid}/notes", Operator),
        ("POST", "/v1/reviews/{id:guid}/resolve", Operator),
        ("POST", "/v1/rules/backtest", Operator),
        ("GET", "/v1/ips/{ip}/warmup", Viewer),
        ("POST", "/v1/reviews/{id:guid}/extend", Operator),
        ("GET", "/v1/messages/{messageId}", Viewer),
        ("GET", "/v1/findings", Viewer),
        ("GET", "/v1/domains/{domain}", Viewer),
        ("GET", "/v1/domains/{domain}/authentication", Viewer),
        ("GET", "/v1/domains/{domain}/compliance", Viewer),
        ("GET", "/v1/ips/{ip}", Viewer),
        ("GET", "/v1/providers/{provider}", Viewer),
        ("GET", "/v1/configuration-sets/{accountId}/{name}", Viewer),
        ("GET", "/v1/tenants/{accountId}/{tenant}", Viewer),
        ("GET", "/v1/system", Viewer),
        ("GET", "/v1/audit", Operator),
        ("GET", "/v1/keys", Admin),
        ("POST", "/v1/keys", Admin),
        ("DELETE", "/v1/keys/{id}", Admin),
        ("GET", "/metrics", Viewer),
    ];

    private static readonly string[] Public = ["/healthz", "/readyz", "/openapi/v1.json", "/docs"];

    /// <summary>The console's pages (GET, and POST for their forms): a caller without a session is sent to the log-in
    /// page, a viewer reads. What a viewer's post is refused is in ConsoleTests.</summary>
    private static readonly string[] ConsolePages =
    [
        "/console", "/console/accounts", "/console/accounts/{AccountId}", "/console/reviews", "/console/reviews/{Id:guid}",
        "/console/messages", "/console/messages/{MessageId}", "/console/suppressions",
    ];

    /// <summary>Console routes anyone reaches: the log-in page, log-out (a form post with its anti-forgery token) and the
    /// framework's redirect helper.</summary>
    private static readonly (string Method, string Pattern)[] ConsolePublic =
        [("GET", "/console/login"), ("POST", "/console/login"), ("POST", "/console/logout"), ("GET", "/_framework/opaque-redirect")];

    private static readonly Dictionary<string, string> Samples = new()
    {
        ["{accountId}"] = "100000000001", ["{email}"] = "someone@example.org", ["{id:guid}"] = Guid.NewGuid().ToString(),
        ["{id}"] = Guid.NewGuid().ToString(), ["{messageId}"] = "msg-1", ["{domain}"] = "example.com", ["{ip}"] = "192.0.2.1",
        ["{provider}"] = "gmail", ["{name}"] = "marketing", ["{tenant}"] = "tenant-1",
        ["{value}"] = "marketing", ["{AccountId}"] = "100000000001", ["{Id:guid}"] = Guid.NewGuid().ToString(), ["{MessageId}"] = "msg-1",
    };

    private static string Path(string pattern) => Samples.Aggregate(pattern, (p, s) => p.Replace(s.Key, s.Value));

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };

    private async Task<MonitorApiFactory> StartAsync() =>
        await MonitorApiFactory.StartAsync(kafka.BootstrapServers, await postgres.CreateDatabaseAsync());

    [Fact]
    public async Task Every_route_refuses_unknown_callers_with_401_and_lower_roles_with_403()
    {
        await using var factory = await StartAsync();

        // The table covers every endpoint the service maps: a new route cannot ship without its access rule.
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Where(r => !Public.Contains(r.Pattern) && !r.Pattern.StartsWith("/docs", StringComparison.Ordinal) &&
                        !r.Pattern.StartsWith("/openapi", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Equal(mapped.OrderBy(r => r.Pattern).ThenBy(r => r.Method),
            Routes.Select(r => (r.Method, r.Pattern))
                .Concat(ConsolePages.SelectMany(p => new[] { (Method: "GET", Pattern: p), (Method: "POST", Pattern: p) }))
                .Append((Method: "GET", Pattern: "/console/accounts/{accountId}/suppressions/export"))
                .Concat(ConsolePublic).ToHashSet().OrderBy(r => r.Pattern).ThenBy(r => r.Method));

        var clients = new Dictionary<string, HttpClient>
        {
            ["none"] = factory.Client(null), ["unknown"] = factory.Client("not-a-key-we-issued-0000"),
            [Viewer] = factory.Client(MonitorInstance.ViewerKey), [Operator] = factory.Client(MonitorInstance.OperatorKey),
            [Admin] = factory.Client(MonitorInstance.AdminKey),
        };
        var rank = new Dictionary<string, int> { [Viewer] = 1, [Operator] = 2, [Admin] = 3 };
        var failures = new List<string>();
        foreach (var (method, pattern, role) in Routes)
        {
            foreach (var (who, client) in clients)
            {
                using var response = await client.SendAsync(Request(method, Path(pattern)));
                var expected = who is "none" or "unknown" ? HttpStatusCode.Unauthorized
                    : rank[who] < rank[role] ? HttpStatusCode.Forbidden : (HttpStatusCode?)null;
                var ok = expected is { } e ? response.StatusCode == e
                    : response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500;
                if (!ok) failures.Add($"{method} {pattern} as {who}: {(int)response.StatusCode}, expected {(expected is null ? "allowed" : (int)expected)}");
            }
        }
        using (var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            foreach (var page in ConsolePages.Append("/console/accounts/{accountId}/suppressions/export?format=csv"))
            {
                using var response = await anonymous.GetAsync(Path(page));
                if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.StartsWith("/console/login?returnUrl=", StringComparison.Ordinal) != true)
                    failures.Add($"GET {page} without a session: {(int)response.StatusCode} {response.Headers.Location}, expected a redirect to the log-in page");
                using var read = await clients[Viewer].GetAsync(Path(page));
                if (read.StatusCode != HttpStatusCode.OK) failures.Add($"GET {page} as viewer: {(int)read.StatusCode}, expected 200");
            }
        }
        Assert.Empty(failures);

        foreach (var path in Public)
            Assert.True((await clients["none"].GetAsync(path)).IsSuccessStatusCode, $"{path} needs no key");
        foreach (var c in clients.Values) c.Dispose();
    }

    [Fact]
    public async Task Every_validation_error_is_problem_details_naming_the_field()
    {
        await using var factory = await StartAsync();
        using var op = factory.Client(MonitorInstance.AdminKey);
        var review = Guid.NewGuid();
        (string Method, string Path, string? Body, string Field)[] cases =
        [
            ("GET", "/v1/accounts?status=sleeping", null, "status"),
            ("GET", "/v1/accounts?pageSize=0", null, "pageSize"),
            ("GET", "/v1/accounts?pageSize=1001", null, "pageSize"),
            ("GET", "/v1/accounts?nextToken=bogus", null, "nextToken"),
            ("GET", "/v1/accounts/1/breakdown?by=planet", null, "by"),
            ("GET", "/v1/accounts/1/breakdown?by=provider&window=7d", null, "window"),
            ("GET", "/v1/accounts/1/attempts?outcome=accepted", null, "outcome"),
            ("GET", "/v1/accounts/1/dimensions?pageSize=0", null, "pageSize"),
            ("GET", "/v1/accounts/1/dimensions?window=7d", null, "window"),
            ("GET", $"/v1/accounts/1/dimensions?nextToken={ReputationMonitor.Api.Paging.Encode("no-separator")}", null, "nextToken"),
            ("GET", $"/v1/accounts/1/decisions?nextToken={ReputationMonitor.Api.Paging.Encode("x|y")}", null, "nextToken"),
            ("GET", "/v1/accounts/1/rates?range=1y", null, "range"),
            ("GET", "/v1/reviews/due?pageSize=1001", null, "pageSize"),
            ("GET", $"/v1/reviews/due?nextToken={ReputationMonitor.Api.Paging.Encode("not-an-instant|x")}", null, "nextToken"),
            ("GET", "/v1/accounts/1/suppressions?reason=LOST", null, "reason"),
            ("GET", "/v1/accounts/1/suppressions?addedAfter=yesterday", null, "addedAfter"),
            ("GET", "/v1/accounts/1/suppressions?addedAfter=2026-11-02T00:00:00Z&addedBefore=2026-11-01T00:00:00Z", null, "addedBefore"),
            ("GET", "/v1/accounts/1/suppressions/export?format=xml", null, "format"),
            ("PUT", "/v1/accounts/1/suppressions/not-an-address", "{}", "email"),
            ("DELETE", "/v1/accounts/1/suppressions/a@example.org", null, "reason"),
            ("POST", "/v1/accounts/1/pause", "{}", "reason"),
            ("POST", "/v1/accounts/1/resume", "{\"reason\": \"   \"}", "reason"),
            ("GET", "/v1/reviews?status=closed", null, "status"),
            ("POST", $"/v1/reviews/{review}/notes", "{}", "text"),
            ("POST", $"/v1/reviews/{review}/resolve", "{\"outcome\": \"deleted\", \"reason\": \"x\"}", "outcome"),
            ("POST", $"/v1/reviews/{review}/extend", "{\"hours\": -5, \"reason\": \"x\"}", "hours"),
            ("GET", "/v1/findings?pillar=magic", null, "pillar"),
            ("GET", "/v1/providers/aol", null, "provider"),
            ("GET", "/v1/domains/example.com?window=2h", null, "window"),
            ("GET", "/v1/domains/example.com/authentication?days=0", null, "days"),
            ("GET", "/v1/domains/not_a_domain!/compliance", null, "domain"),
            ("GET", "/v1/audit?pageSize=5000", null, "pageSize"),
            ("GET", "/v1/keys?nextToken=zz", null, "nextToken"),
            ("POST", "/v1/keys", "{\"name\": \"a b\", \"role\": \"viewer\"}", "name"),
            ("POST", "/v1/keys", "{\"name\": \"ci-reader\", \"role\": \"root\"}", "role"),
            ("DELETE", "/v1/keys/not-a-uuid?reason=leaked", null, "id"),
        ];
        var failures = new List<string>();
        foreach (var (method, path, body, field) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await op.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text}");
                continue;
            }
            if (!JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(field, out _))
                failures.Add($"{method} {path}: {text} does not name '{field}'");
        }
        Assert.Empty(failures);

        // A bulk import whose every line is bad names each line and field.
        using var bad = await op.PostAsync("/v1/accounts/1/suppressions/import",
            new StringContent("{\"email\": \"nope\"}\n{\"email\": \"a@b.org\", \"reason\": \"LOST\"}\nnot json\n", Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var importErrors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["lines[1].email", "lines[2].reason", "lines[3].line"], importErrors.EnumerateObject().Select(p => p.Name).Order().ToArray());
        using var unsupported = await op.PostAsync("/v1/accounts/1/suppressions/import", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal("Content-Type", (await unsupported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        // No stack traces, even for a body that is not JSON at all.
        using var garbage = await op.PostAsync("/v1/accounts/1/pause", new StringContent("{\"reason\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.DoesNotContain("   at ", await garbage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_issues_a_key_that_works_at_once_is_listed_with_its_last_use_and_stops_working_when_revoked()
    {
        await using var factory = await StartAsync();
        using var admin = factory.Client(MonitorInstance.AdminKey);
        using var op = factory.Client(MonitorInstance.OperatorKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/v1/keys", new { name = "ci-reader", role = "viewer" })).StatusCode);
        using var issued = await admin.PostAsJsonAsync("/v1/keys", new { name = "ci-reader", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var secret = key.GetProperty("key").GetString()!;
        var id = key.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/v1/keys", new { name = "ci-reader", role = "viewer" })).StatusCode);

        using var reader = factory.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/system")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/v1/accounts/1/pause", new { reason = "x" })).StatusCode);

        // Listed without the key itself; its use shows up (flushed in the background) and is audited once.
        var listed = await Poll.UntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("items")
                .EnumerateArray().Single(k => k.GetProperty("name").GetString() == "ci-reader"),
            k => k.GetProperty("lastUsedAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(30), "the key's last use");
        Assert.DoesNotContain(secret, listed.GetRawText());
        Assert.Equal(secret[..10], listed.GetProperty("prefix").GetString());
        var audit = await Poll.UntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/v1/audit?entity=ci-reader")).GetProperty("items")
                .EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToList(),
            a => a.Contains("key.used"), TimeSpan.FromSeconds(30), "the key's use in the audit log");
        Assert.Equal(["key.issued", "key.used"], audit.Order().ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync($"/v1/keys/{id}")).StatusCode); // a reason is required
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{id}?reason=rotated")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/v1/system")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/keys/{id}?reason=again")).StatusCode);
        var revoked = (await admin.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("items").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "ci-reader");
        Assert.Equal("rotated", revoked.GetProperty("revokeReason").GetString());
    }
}
