using System.Text.RegularExpressions;

namespace ReputationMonitor.Core.Classification;

/// <summary>
/// Reads what a response says is limited (the sending IP, its network, a domain, a URL in the content, the
/// account) from wording kept in the rules file, and extracts the entity it names: the IP address or network in
/// the text, or the domain (Gmail's "[example.com 12]", "domain example.com"), never a help page's host.
/// </summary>
internal sealed partial class ResponseScopeReader((string Scope, Regex Pattern)[] scopes)
{
    public static ResponseScopeReader From(IEnumerable<ScopeEntry> entries) => new(entries.Select(e =>
    {
        if (!ResponseScopes.All.Contains(e.Scope)) throw new InvalidDataException($"scope pattern has unknown scope '{e.Scope}'");
        return (e.Scope, ResponsePatterns.Compile(e.Pattern));
    }).ToArray());

    /// <summary>The scope the wording names, or null.</summary>
    public string? ScopeOf(string response)
    {
        foreach (var (scope, pattern) in scopes)
            if (ResponsePatterns.Matches(pattern, response)) return scope;
        return null;
    }

    /// <summary>The IP address, network or domain the response names for its scope, or null.</summary>
    public static string? EntityOf(string response, string? scope) => scope switch
    {
        ResponseScopes.Netblock => Cidr().Match(response) is { Success: true } n ? n.Value : FirstIp(response),
        ResponseScopes.Ip => FirstIp(response),
        ResponseScopes.Domain or ResponseScopes.Url => NamedDomain(response),
        _ => null,
    };

    private static string? FirstIp(string response)
    {
        if (Ipv4().Match(response) is { Success: true } v4) return v4.Value;
        return Ipv6().Match(response) is { Success: true } v6 ? v6.Groups[1].Value : null;
    }

    private static string? NamedDomain(string response)
    {
        foreach (Match m in BracketedDomain().Matches(response))
            if (!IsIp(m.Groups[1].Value)) return m.Groups[1].Value.ToLowerInvariant();
        return DomainAfterWord().Match(response) is { Success: true } d ? d.Groups[1].Value.TrimEnd('.').ToLowerInvariant() : null;
    }

    private static bool IsIp(string s) => Ipv4().IsMatch(s);

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}/\d{1,2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Cidr();

    [GeneratedRegex(@"(?:^|[\s\[(])((?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*)(?=[\s\])]|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Ipv6();

    // Gmail names the limited domain in brackets with a number: "[example.com 12]".
    [GeneratedRegex(@"\[([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)(?:\s+\d+)?\]", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BracketedDomain();

    [GeneratedRegex(@"\b(?:domain|url|link)s?\s*(?:name\s*)?[:=]?\s*<?(?<![/@])((?:[a-z0-9-]+\.)+[a-z]{2,})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DomainAfterWord();
}
