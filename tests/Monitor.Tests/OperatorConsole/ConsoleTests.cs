using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ReputationMonitor.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.OperatorConsole;

/// <summary>
/// The operator console in a real browser (Debian's Chromium, headless) against the real service, broker and database:
/// an operator logs in, sees an uploaded list put an account under review without reloading, works the review (note,
/// extend, resolve), investigates a bounce and edits the suppression list; a viewer sees no action control and is
/// refused if they post anyway. Every page is screenshotted and checked with axe for accessibility violations.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const string Account = "700000000019";
    private const int Sends = 1000, Bounces = 60; // 6 %: over the 5 % review line, under the 10 % pause line
    private const string BouncedMessage = "upload-0000";
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_operator_works_a_review_from_the_browser_and_a_viewer_only_reads()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewSessionAsync(monitor.BaseAddress);

        // Not logged in: the console sends the browser to the log-in page; a wrong key is refused.
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
        await LogInAsync(page, "not-a-key-0123456789abcdef");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await ConsoleBrowser.ScreenshotAsync(page, "login");
        await LogInAsync(page, MonitorInstance.OperatorKey);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();

        // The list goes out while the overview is open; it must show the review without a reload.
        await page.EvaluateAsync("window.__sameDocument = true");
        await UploadListAsync(monitor);
        var underReview = page.Locator("section[aria-labelledby=review-h]").GetByRole(AriaRole.Link, new() { Name = Account });
        await Expect(underReview).ToBeVisibleAsync(Slow);
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the overview reloaded instead of updating in place");
        await AssertAccessibleAsync(page, "overview");

        // The account page: status and why, the rule, the provider split, the responses.
        await underReview.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Account {Account}" })).ToBeVisibleAsync();
        await Expect(page.Locator("#status-h + p")).ToContainTextAsync("Under review");
        await Expect(page.Locator("section[aria-labelledby=providers-h] tbody")).ToContainTextAsync("gmail");
        await Expect(page.Locator("section[aria-labelledby=status-h]")).ToContainTextAsync("bounce-rate-review");
        await Expect(page.Locator("section[aria-labelledby=status-h]")).ToContainTextAsync("6.00 %");
        await AssertAccessibleAsync(page, "account");

        // The review, from the list of open reviews (nearest deadline first).
        await page.GetByRole(AriaRole.Link, new() { Name = "Reviews", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open reviews" })).ToBeVisibleAsync();
        await Expect(page.Locator("#reviews tbody")).ToContainTextAsync("left");
        await AssertAccessibleAsync(page, "reviews");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Open review of {Account} (bounce-rate-review)", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Review of {Account}" })).ToBeVisibleAsync();
        var reviewUrl = page.Url;
        var reviewId = Guid.Parse(reviewUrl[(reviewUrl.LastIndexOf('/') + 1)..]);
        using var api = monitor.Client(MonitorInstance.ViewerKey);
        var opened = (await api.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}")).GetProperty("openedAt").GetDateTimeOffset();

        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("The upload was a purchased list; the customer was told.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Note: done.");
        await Expect(page.Locator(".notes")).ToContainTextAsync("purchased list");

        await page.GetByLabel("By hours").FillAsync("24");
        await page.Locator("#extend-reason").FillAsync("The customer is cleaning the list.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Extend");
        var extended = await Poll.UntilAsync(() => api.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}"),
            r => r.GetProperty("deadline").GetDateTimeOffset() == opened.AddHours(72 + 24), TimeSpan.FromSeconds(30), "the deadline moved by 24 h");
        await page.ReloadAsync();
        await Expect(page.Locator("#deadline")).ToContainTextAsync(ConsoleFormat(extended.GetProperty("deadline").GetDateTimeOffset()));
        await AssertAccessibleAsync(page, "review");

        await page.GetByLabel("Close the review (healthy)").CheckAsync();
        await page.Locator("#resolve-reason").FillAsync("List removed; bounces stopped.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resolve");
        await Poll.UntilAsync(() => api.GetFromJsonAsync<JsonElement>($"/v1/reviews/{reviewId}"),
            r => r.GetProperty("status").GetString() == "resolved", TimeSpan.FromSeconds(30), "the review resolved");
        await page.ReloadAsync();
        await Expect(page.Locator(".review-status")).ToHaveTextAsync("resolved");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resolve" })).ToHaveCountAsync(0);

        // A bounced message, investigated by its id.
        await page.GetByRole(AriaRole.Link, new() { Name = "Investigate", Exact = true }).ClickAsync();
        await page.GetByLabel("Message id").FillAsync(BouncedMessage);
        await page.GetByRole(AriaRole.Button, new() { Name = "Investigate" }).ClickAsync();
        await Expect(page.Locator(".diagnosis")).ToContainTextAsync("recipient");
        await Expect(page.Locator(".diagnosis")).ToContainTextAsync("invalid_recipient");
        await Expect(page.Locator(".timeline")).ToContainTextAsync("550-5.1.1");
        await AssertAccessibleAsync(page, "investigate");

        // The suppression list: add an address, find it, remove it with a reason.
        await page.GotoAsync($"/console/suppressions?account={Account}");
        await page.GetByLabel("Address", new() { Exact = true }).FillAsync("complainer@example.com");
        await page.Locator("#add-reason").FillAsync("asked to be removed by phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suppress" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Suppress");
        await Poll.UntilAsync(async () => (await api.GetAsync($"/v1/accounts/{Account}/suppressions/complainer@example.com")).StatusCode,
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the address on the list");
        await page.GotoAsync($"/console/suppressions?account={Account}");
        await Expect(page.Locator("tbody")).ToContainTextAsync("complainer@example.com");
        await AssertAccessibleAsync(page, "suppressions");
        await page.GetByLabel("Reason for removing complainer@example.com").FillAsync("added to the wrong account");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove complainer@example.com" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Remove from the suppression list");
        await Poll.UntilAsync(async () => (await api.GetAsync($"/v1/accounts/{Account}/suppressions/complainer@example.com")).StatusCode,
            s => s == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "the address to leave the list");

        // A narrow window: the account page still reads (screenshot for the docs).
        var narrow = await browser.NewSessionAsync(monitor.BaseAddress, width: 420, height: 900);
        await LogInAsync(narrow, MonitorInstance.OperatorKey, $"/console/accounts/{Account}");
        await Expect(narrow.GetByRole(AriaRole.Heading, new() { Name = $"Account {Account}" })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(narrow, "account-narrow");

        // A viewer reads the same pages without a single action control, and a post made by hand is refused.
        var viewer = await browser.NewSessionAsync(monitor.BaseAddress);
        await LogInAsync(viewer, MonitorInstance.ViewerKey, $"/console/accounts/{Account}");
        await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = $"Account {Account}" })).ToBeVisibleAsync();
        await Expect(viewer.Locator("main form[method=post]")).ToHaveCountAsync(0);
        await viewer.GotoAsync(reviewUrl);
        await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = $"Review of {Account}" })).ToBeVisibleAsync();
        await Expect(viewer.Locator("main form[method=post]")).ToHaveCountAsync(0);
        await Expect(viewer.Locator("main button")).ToHaveCountAsync(0);
        var before = await AccountStatusAsync(api);
        var status = await viewer.EvaluateAsync<int>("""
            async () => {
              const token = document.querySelector('input[name=__RequestVerificationToken]').value;
              const body = new URLSearchParams({ _handler: 'status', __RequestVerificationToken: token, 'Status.Reason': 'a viewer tries' });
              return (await fetch(location.href, { method: 'POST', body })).status;
            }
            """);
        Assert.InRange(status, 400, 403); // no such form is rendered for a viewer (400); a handler would refuse the role (403)
        Assert.Equal(before, await AccountStatusAsync(api));

        // Log out: the session is gone.
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(viewer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
        await viewer.GotoAsync("/console");
        await Expect(viewer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
    }

    [Fact]
    public async Task Console_forms_refuse_a_post_without_the_anti_forgery_token_and_the_API_ignores_the_console_cookie()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = monitor.BaseAddress };

        // Another site's form: no token.
        var forged = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["_handler"] = "login", ["Form.Key"] = MonitorInstance.OperatorKey }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(cookies.GetCookies(monitor.BaseAddress));

        // A real log-in: the session cookie is HttpOnly, SameSite=Lax (an alert's link opens logged in), scoped to /console,
        // without an expiry date.
        var form = await http.GetStringAsync("/console/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var login = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Form.Key"] = MonitorInstance.OperatorKey }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monitor_console=", StringComparison.Ordinal));
        Assert.Contains("path=/console", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console")).StatusCode);

        // The cookie is no key to the API, even when sent there.
        var session = cookies.GetCookies(new Uri(monitor.BaseAddress, "/console"))["monitor_console"]!.Value;
        using var api = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        api.Headers.Add("Cookie", $"monitor_console={session}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(api)).StatusCode);

        // Log out without the token: refused, still logged in.
        var logout = await http.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console")).StatusCode);
    }

    private static async Task LogInAsync(IPage page, string key, string? then = null)
    {
        if (then is not null || !page.Url.Contains("/console/login", StringComparison.Ordinal)) await page.GotoAsync(then ?? "/console");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    /// <summary>A screenshot of the page, and no serious or critical accessibility violation on it (axe-core).</summary>
    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        await ConsoleBrowser.ScreenshotAsync(page, name);
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} ({string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))})").ToList();
        Assert.True(serious.Count == 0, $"{name}: {string.Join("\n", serious)}");
    }

    /// <summary>A list of 1,000 addresses of which 6 % do not exist (Gmail's 550-5.1.1), sent in the last half hour.</summary>
    private static async Task UploadListAsync(MonitorInstance monitor)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var attempts = new List<string>();
        var events = new List<string>();
        for (var i = 0; i < Sends; i++)
        {
            var id = $"upload-{i:D4}";
            var to = $"r{i}@gmail.com";
            var at = start.AddSeconds(i);
            attempts.Add(AttemptFrom(id, Account, at, [to], tenant: "newsletters", pool: "shared-1", ip: "192.0.2.19"));
            events.Add(i < Bounces ? Bounce(id, Account, at, at.AddSeconds(20), to, diagnostic: OperatorScenario.GmailUnknownUser)
                : Delivery(id, Account, at, at.AddSeconds(20), to));
        }
        using var viewer = monitor.Client(MonitorInstance.ViewerKey);
        await monitor.ProduceAsync(monitor.SendAttemptsTopic, attempts);
        await Poll.UntilAsync(async () => (await viewer.GetAsync($"/v1/accounts/{Account}")) is { StatusCode: HttpStatusCode.OK } r
                ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").GetProperty("sent").GetInt64() : 0,
            sent => sent == Sends, TimeSpan.FromSeconds(60), "the sends to be counted");
        await monitor.ProduceAsync(monitor.EventsTopic, events);
    }

    private static async Task<string?> AccountStatusAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>($"/v1/accounts/{Account}")).GetProperty("status").GetString();

    private static string ConsoleFormat(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
