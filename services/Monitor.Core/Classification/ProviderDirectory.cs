using System.Text.Json;
using System.Text.RegularExpressions;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Classification;

/// <summary>
/// Maps a recipient to its mailbox provider: by domain from a data file (<c>Data/providers.json</c>),
/// then, for custom domains, by provider signatures in the SMTP response or reporting MTA.
/// </summary>
public sealed class ProviderDirectory
{
    private readonly Dictionary<string, int> _domains;
    private readonly Dictionary<string, int> _families;
    private readonly (Regex Pattern, int Provider)[] _signatures;

    public static ProviderDirectory Default { get; } = FromJson(EmbeddedData.Read("providers.json"));

    private ProviderDirectory(Dictionary<string, int> domains, Dictionary<string, int> families, (Regex, int)[] signatures)
    {
        _domains = domains;
        _families = families;
        _signatures = signatures;
    }

    public static ProviderDirectory FromJson(string json)
    {
        var file = JsonSerializer.Deserialize(json, ClassificationJsonContext.Default.ProvidersFile)
            ?? throw new InvalidDataException("providers file is empty");
        return new ProviderDirectory(
            file.Domains.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => Providers.Parse(kv.Value)),
            file.Families.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => Providers.Parse(kv.Value)),
            file.Signatures.Select(s => (ResponsePatterns.Compile(s.Pattern),
                Providers.Parse(s.Provider))).ToArray());
    }

    /// <summary>Provider of a recipient domain (lower case), or <see cref="Providers.Other"/>.</summary>
    public int FromDomain(string? domain)
    {
        if (string.IsNullOrEmpty(domain)) return Providers.Other;
        if (_domains.TryGetValue(domain, out var p)) return p;
        var dot = domain.IndexOf('.');
        if (dot > 0 && _families.TryGetValue(domain[..dot], out p) && LooksLikePublicSuffix(domain.AsSpan(dot + 1)))
            return p;
        return Providers.Other;
    }

    /// <summary>Provider recognised in an SMTP response or reporting MTA, or null.</summary>
    public int? FromSignature(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var (pattern, provider) in _signatures)
            if (ResponsePatterns.Matches(pattern, text)) return provider;
        return null;
    }

    // "fr", "co.uk", "com.br" — but not "acme.com" (live.acme.com is somebody's own domain).
    private static bool LooksLikePublicSuffix(ReadOnlySpan<char> rest)
    {
        var labels = 0;
        foreach (var range in rest.Split('.'))
        {
            var len = range.End.GetOffset(rest.Length) - range.Start.GetOffset(rest.Length);
            if (len is 0 or > 3) return false;
            labels++;
        }
        return labels is 1 or 2;
    }
}
