using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;

namespace ReputationMonitor.Api;

/// <summary>
/// The configured API keys, kept only as SHA-256 hashes and compared in constant time. Roles nest:
/// admin ⊃ operator ⊃ viewer.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly List<(byte[] Hash, string Role, string Name)> _keys = [];

    /// <summary>Set when no key was configured and one was generated for development.</summary>
    public string? GeneratedDevelopmentKey { get; }

    public ApiKeyRegistry(IOptions<ApiOptions> options, IConfiguration configuration)
    {
        foreach (var k in options.Value.Keys) Add(k.Key, k.Role, k.Name ?? k.Role);
        if (configuration["MONITOR_API_KEY_OPERATOR"] is { Length: > 0 } op) Add(op, Roles.Operator, "env-operator");
        if (configuration["MONITOR_API_KEY_VIEWER"] is { Length: > 0 } viewer) Add(viewer, Roles.Viewer, "env-viewer");
        if (_keys.Count == 0)
        {
            GeneratedDevelopmentKey = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            Add(GeneratedDevelopmentKey, Roles.Operator, "generated-development-key");
        }
    }

    public int Count => _keys.Count;

    private void Add(string key, string role, string name) => _keys.Add((Hash(key), role, name));

    public (string Role, string Name)? Find(string presented)
    {
        var hash = Hash(presented);
        (string, string)? found = null;
        foreach (var k in _keys) // no early exit: timing does not tell which key matched
            if (CryptographicOperations.FixedTimeEquals(hash, k.Hash)) found = (k.Role, k.Name);
        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        if (Request.Headers.TryGetValue("X-Api-Key", out var apiKey)) presented = apiKey.ToString();
        else if (Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());

        if (registry.Find(presented) is not { } match)
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name) };
        foreach (var role in Implied(match.Role)) claims.Add(new Claim(ClaimTypes.Role, role));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private static IEnumerable<string> Implied(string role) => role switch
    {
        Roles.Admin => [Roles.Admin, Roles.Operator, Roles.Viewer],
        Roles.Operator => [Roles.Operator, Roles.Viewer],
        _ => [Roles.Viewer],
    };
}
