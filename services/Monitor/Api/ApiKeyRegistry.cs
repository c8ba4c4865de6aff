using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ReputationMonitor.Configuration;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>A key the service accepts: configured (no id) or issued through the admin API (id).</summary>
public sealed record AcceptedKey(byte[] Hash, string Role, string Name, Guid? Id);

/// <summary>
/// The API keys the service accepts, kept only as SHA-256 hashes and compared in constant time: the configured
/// ones, plus the ones an admin issued (from PostgreSQL, refreshed by <see cref="ApiKeyMaintenance"/> so every
/// instance sees a new or revoked key within its refresh interval). Roles nest: admin ⊃ operator ⊃ viewer.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly AcceptedKey[] _configured;
    private AcceptedKey[] _all;

    /// <summary>Set when no key was configured and one was generated for development.</summary>
    public string? GeneratedDevelopmentKey { get; }

    public ApiKeyRegistry(IOptions<ApiOptions> options, IConfiguration configuration)
    {
        var keys = options.Value.Keys.Select(k => new AcceptedKey(Hash(k.Key), k.Role, k.Name ?? k.Role, null)).ToList();
        if (configuration["MONITOR_API_KEY_ADMIN"] is { Length: > 0 } admin) keys.Add(new(Hash(admin), Roles.Admin, "env-admin", null));
        if (configuration["MONITOR_API_KEY_OPERATOR"] is { Length: > 0 } op) keys.Add(new(Hash(op), Roles.Operator, "env-operator", null));
        if (configuration["MONITOR_API_KEY_VIEWER"] is { Length: > 0 } viewer) keys.Add(new(Hash(viewer), Roles.Viewer, "env-viewer", null));
        if (keys.Count == 0)
        {
            // Admin so that a developer can also try key management; admin includes every operator right.
            GeneratedDevelopmentKey = NewKey("dev");
            keys.Add(new(Hash(GeneratedDevelopmentKey), Roles.Admin, "generated-development-key", null));
        }
        _configured = [.. keys];
        _all = _configured;
    }

    public IReadOnlyList<AcceptedKey> Configured => _configured;

    public int Count => Volatile.Read(ref _all).Length;

    /// <summary>Replaces the issued keys with what the database holds now (revoked keys dropped).</summary>
    public void SetIssued(IEnumerable<ApiKeyRow> rows) =>
        Volatile.Write(ref _all, [.. _configured, .. rows.Where(r => r.RevokedAt is null).Select(r => new AcceptedKey(r.KeyHash, r.Role, r.Name, r.Id))]);

    public AcceptedKey? Find(string presented)
    {
        var hash = Hash(presented);
        AcceptedKey? found = null;
        foreach (var k in Volatile.Read(ref _all)) // no early exit: timing does not tell which key matched
            if (CryptographicOperations.FixedTimeEquals(hash, k.Hash)) found = k;
        return found;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A new random key (256 bits), prefixed so that a leaked one is recognisable in a scan.</summary>
    public static string NewKey(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
}
