using System.Net;
using System.Net.Http.Json;
using System.Text;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Malformed bodies, query strings and paths get a 4xx with a reason — never a 5xx.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiFuzzTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private static readonly string[] Bodies =
    [
        "", "{", "}", "[]", "null", "42", "\"text\"", "{\"reason\": 5}", "{\"reason\": \"\"}", "{\"reason\": [1, 2]}",
        "{\"reason\": {\"nested\": true}}", "{\"hours\": \"many\"}", "{\"hours\": -5}", "{\"outcome\": \"deleted\"}",
        "{\"text\": null}", "{\"reason\": \"\\uD800\"}", "{\"reason\": \"   \"}",
        new string('[', 300) + new string(']', 300), "{\"reason\": \"" + new string('x', 5000) + "\"}",
    ];

    private static readonly string[] BadPaging =
    [
        "pageSize=-1", "pageSize=0", "pageSize=1001", "pageSize=abc", "pageSize=99999999999", "nextToken=%%%", "nextToken=abc",
        "nextToken=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("garbage")),
    ];

    /// <summary>Each route with malformed values of the parameters it takes.</summary>
    private static readonly (string Path, string[] Bad)[] Lists =
    [
        ("/v1/accounts", ["status=sleeping", "status="]),
        ("/v1/reviews", ["status=closed", "status=OPEN"]),
        ("/v1/findings", ["pillar=magic", "pillar="]),
        ("/v1/accounts/123/suppressions", ["reason=LOST", "reason=bounce"]),
        ("/v1/accounts/123/attempts", ["outcome=accepted", "outcome=x"]),
        ("/v1/audit", []),
    ];

    [Fact]
    public async Task Two_hundred_malformed_requests_get_only_4xx()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var op = monitor.Client();
        var rnd = new Random(20261126);
        var review = Guid.NewGuid();
        var posts = new[]
        {
            "/v1/accounts/123/pause", "/v1/accounts/123/resume", $"/v1/reviews/{review}/notes", $"/v1/reviews/{review}/resolve",
            $"/v1/reviews/{review}/extend",
        };
        var failures = new List<string>();
        var sent = 0;
        async Task Check(HttpResponseMessage r, string what)
        {
            sent++;
            var code = (int)r.StatusCode;
            if (code is < 400 or >= 500) failures.Add($"{what} → {code}: {(await r.Content.ReadAsStringAsync())[..Math.Min(200, (int)(r.Content.Headers.ContentLength ?? 200))]}");
        }

        foreach (var path in posts)
        foreach (var body in Bodies)
        {
            var contentType = rnd.Next(6) == 0 ? "text/plain" : "application/json";
            await Check(await op.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType)), $"POST {path} {body[..Math.Min(40, body.Length)]}");
        }
        foreach (var (path, bad) in Lists)
        foreach (var query in BadPaging.Concat(bad))
        {
            await Check(await op.GetAsync($"{path}?{query}"), $"GET {path}?{query}");
            await Check(await op.GetAsync($"{path}?{query}&{BadPaging[rnd.Next(BadPaging.Length)]}"), $"GET {path}?{query}&...");
        }
        foreach (var query in new[] { "by=planet", "by=", "window=7d", "by=provider&window=", "window=1h", "by=ip&window=2h" })
            await Check(await op.GetAsync($"/v1/accounts/123/breakdown?{query}"), $"GET breakdown?{query}");
        foreach (var path in new[] { "/v1/providers/aol", "/v1/providers/gmail?window=7d", "/v1/domains/example.com?window=x", "/v1/ips/192.0.2.1?window=1d" })
            await Check(await op.GetAsync(path), $"GET {path}");
        foreach (var email in new[] { "no-at-sign", "@", "a@", "two words@x.org", new string('a', 400) + "@x.org" })
            await Check(await op.PutAsync($"/v1/accounts/123/suppressions/{Uri.EscapeDataString(email)}",
                new StringContent("{}", Encoding.UTF8, "application/json")), $"PUT suppression {email[..Math.Min(20, email.Length)]}");
        foreach (var path in new[] { "/v1/reviews/not-a-guid", "/v1/messages/" + new string('m', 2000), "/v1/accounts/%00", "/v1/nowhere" })
            await Check(await op.GetAsync(path), $"GET {path[..Math.Min(40, path.Length)]}");
        // Expect: 100-continue lets the server refuse the size before the body is sent (otherwise the client can
        // see its write cut off instead of the 413).
        using var oversize = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts/123/pause") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        oversize.Headers.ExpectContinue = true;
        oversize.Content.Headers.ContentType = new("application/json");
        var tooLarge = await op.SendAsync(oversize);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await Check(tooLarge, "POST 2 MB");
        await Check(await op.PostAsync("/v1/accounts/123/pause", new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D])
        {
            Headers = { ContentType = new("application/json") },
        }), "POST invalid UTF-8");

        Assert.True(sent >= 200, $"only {sent} requests");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Every route of the OpenAPI document, with NUL, other control characters and invalid UTF-8 in each path parameter
    /// and in a query parameter, and every list with forged page tokens: 400 ProblemDetails naming the field, no 5xx, no
    /// stack trace.
    /// </summary>
    [Fact]
    public async Task Control_characters_and_forged_tokens_on_every_route_get_400_naming_the_field()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        using var admin = monitor.Client(MonitorInstance.AdminKey);
        var doc = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/openapi/v1.json");
        var failures = new List<string>();
        var checkedRoutes = 0;
        // field null: no 5xx (a forged token can still be well-formed for a list keyed by text). A value that no route's
        // constraint accepts (a review id that is not a UUID) is named as the path; Kestrel refuses NUL in the request line
        // itself, with its own bare 400.
        async Task Expect400(HttpMethod method, string url, string? field)
        {
            using var request = new HttpRequestMessage(method, url);
            if (method != HttpMethod.Get && method != HttpMethod.Delete) request.Content = new StringContent("{\"reason\":\"fuzz\"}", Encoding.UTF8, "application/json");
            var response = await admin.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var named = field is null ? (int)response.StatusCode is >= 200 and < 500
                : response.StatusCode == HttpStatusCode.BadRequest && (body.Contains($"\"{field}\"") || body.Contains("\"path\"") || (body.Length == 0 && url.Contains("%00")));
            if (!named || body.Contains("   at ")) failures.Add($"{method} {url} → {(int)response.StatusCode} {body[..Math.Min(160, body.Length)]}");
        }
        string[] hostile = ["%00", "a%00b", "%01x", "x%1F", "%7F", "%FF%FE", "%C3%28"];
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject())
        {
            var method = new HttpMethod(op.Name.ToUpperInvariant());
            var parameters = path.Value.TryGetProperty("parameters", out var shared) ? shared.EnumerateArray().ToList() : [];
            if (op.Value.TryGetProperty("parameters", out var own)) parameters.AddRange(own.EnumerateArray());
            var inPath = parameters.Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
            string Fill(string? hostileName, string value) => inPath.Aggregate(path.Name, (url, name) =>
                url.Replace($"{{{name}}}", name == hostileName ? value : name.Contains("id", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("account") ? Guid.NewGuid().ToString() : "123", StringComparison.Ordinal));
            checkedRoutes++;
            foreach (var name in inPath)
            foreach (var value in hostile)
                await Expect400(method, Fill(name, value), name);
            foreach (var value in hostile)
                await Expect400(method, $"{Fill(null, "")}?probe={value}", "probe");
            if (!parameters.Any(p => p.GetProperty("name").GetString() == "nextToken")) continue;
            foreach (var token in new[]
                     {
                         ReputationMonitor.Api.Paging.Encode("a\0b"), ReputationMonitor.Api.Paging.Encode(new string('k', 4000)),
                         Convert.ToBase64String(new byte[] { 0x6B, 0x3A, 0xFF, 0xFE }).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                     })
                await Expect400(method, $"{Fill(null, "")}?nextToken={token}", "nextToken");
            // Ticks past DateTime.MaxValue, an instant no page ends at: refused, or read as a key where a list is keyed by text.
            foreach (var token in new[] { $"{long.MaxValue}|x", "99999999999999999999|" + Guid.NewGuid(), $"{long.MaxValue}|{Guid.NewGuid()}", long.MaxValue.ToString() })
                await Expect400(method, $"{Fill(null, "")}?nextToken={ReputationMonitor.Api.Paging.Encode(token)}", null);
        }
        Assert.True(checkedRoutes >= 25, $"only {checkedRoutes} routes in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }
}
