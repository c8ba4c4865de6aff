using System.Net;
using System.Text;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>Malformed bodies, query strings and paths get a 4xx with a reason — never a 5xx.</summary>
[Collection(IntegrationCollection.Name)]
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
}
