using Microsoft.Playwright;

namespace ReputationMonitor.Tests.Support;

/// <summary>
/// Headless Chromium from Debian's package (Playwright's own browser download cannot work here), driven by
/// Microsoft.Playwright; <c>CHROMIUM_PATH</c> names another binary. Screenshots go to <c>CONSOLE_SCREENSHOTS</c> when set
/// (<c>make console-screenshots</c> points it at docs/console), else next to the test binaries.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static string ScreenshotFolder => Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } d
        ? d : Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: `make test` installs Debian's chromium package (or set CHROMIUM_PATH).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // A closed network: no background connections (they are refused, many at a time), no sandbox as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A fresh browser session (its own cookies) at 1280×800 against the monitor.</summary>
    public async Task<IPage> NewSessionAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "UTC",
            Locale = "en-GB",
        });
        // An action waits up to 10 s for the stream's answer before the page comes back; two cores run the whole suite.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
