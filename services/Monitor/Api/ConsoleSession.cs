using Microsoft.AspNetCore.DataProtection;

namespace ReputationMonitor.Api;

/// <summary>
/// The console's log-in: the API key an operator typed, kept in a cookie that lives as long as the browser session
/// (no expiry date), is sent only to <c>/console</c>, never readable by scripts, never sent with another site's
/// requests but a link followed (SameSite=Lax: an alert's console link opens logged in; every form also carries an
/// anti-forgery token), and encrypted and signed with the data protection keys every instance shares (no longer valid
/// after <see cref="Lifetime"/>). Every
/// request authenticates the key again, so a revoked key logs the console out within the key refresh interval, and the
/// console shares the key's roles and rate limit with the API.
/// </summary>
public sealed class ConsoleSession(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "monitor_console", PathBase = "/console";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("ReputationMonitor.OperatorConsole.Session.v1").ToTimeLimitedDataProtector();

    public static bool IsConsole(HttpRequest request) => request.Path.StartsWithSegments(PathBase);

    public void SignIn(HttpContext http, string key) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(key, clock.GetUtcNow() + Lifetime), Options(http));

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http));

    /// <summary>The key the session carries, or null (no cookie, tampered with, from other keys, or too old).</summary>
    public string? PresentedKey(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            return _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        // Behind a TLS-terminating proxy the request is plain HTTP but the browser's is not.
        Secure = http.Request.IsHttps || string.Equals(http.Request.Headers["X-Forwarded-Proto"], "https", StringComparison.OrdinalIgnoreCase),
        Path = PathBase,
        IsEssential = true,
    };
}
