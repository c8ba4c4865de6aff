using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Observability;

namespace ReputationMonitor.Api;

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry, ApiKeyUsage usage, ConsoleSession console, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        if (Request.Headers.TryGetValue("X-Api-Key", out var apiKey)) presented = apiKey.ToString();
        else if (Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        // The console's session cookie counts only on the console's own pages: the API never takes ambient credentials,
        // so no other site can make a browser call it.
        else if (ConsoleSession.IsConsole(Request)) presented = console.PresentedKey(Request);
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());

        if (registry.Find(presented) is not { } match)
        {
            MonitorMetrics.AuthFailures.Inc();
            // Never the key itself: only where the attempt came from.
            Logger.LogWarning("Unknown API key presented from {RemoteAddress} for {Method} {Path}",
                Context.Connection.RemoteIpAddress, Request.Method, Request.Path.Value);
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }
        usage.Record(match, Request.Method, Request.Path.Value ?? "", clock.GetUtcNow().UtcDateTime);

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name) };
        foreach (var role in Implied(match.Role)) claims.Add(new Claim(ClaimTypes.Role, role));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>On the console's pages a caller without a key is sent to the log-in page, and comes back after it.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!ConsoleSession.IsConsole(Request)) return base.HandleChallengeAsync(properties);
        ConsoleSession.SignOut(Context);
        Response.Redirect($"{ConsoleSession.PathBase}/login?returnUrl={Uri.EscapeDataString(Request.Path + Request.QueryString)}");
        return Task.CompletedTask;
    }

    private static IEnumerable<string> Implied(string role) => role switch
    {
        Roles.Admin => [Roles.Admin, Roles.Operator, Roles.Viewer],
        Roles.Operator => [Roles.Operator, Roles.Viewer],
        _ => [Roles.Viewer],
    };
}
