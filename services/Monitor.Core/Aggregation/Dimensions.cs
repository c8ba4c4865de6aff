namespace ReputationMonitor.Core.Aggregation;

/// <summary>The dimensions an account's traffic is broken down by (each also split by recipient provider).</summary>
public static class Dimensions
{
    public const string Account = "account", ConfigurationSet = "configurationSet", Tenant = "tenant",
        Domain = "domain", Pool = "pool", Ip = "ip", Caller = "caller";

    public static readonly IReadOnlyList<string> Breakdowns = [ConfigurationSet, Tenant, Domain, Pool, Ip, Caller];

    /// <summary>The status scope of a dimension kind (the key prefix on reputation.actions), or null when it has no status.</summary>
    public static string? StatusScope(string kind) => kind switch
    {
        ConfigurationSet => "configuration-set",
        Tenant => "tenant",
        _ => null,
    };

    /// <summary>The dimension kind whose status scope is <paramref name="scope"/> (configuration-set → configurationSet).</summary>
    public static string? KindOfStatusScope(string scope) => Breakdowns.FirstOrDefault(k => StatusScope(k) == scope);

    /// <summary>Who called the sending API: "identity@ip" (either may be "-").</summary>
    public static string? CallerValue(string? identity, string? ip) =>
        identity is null && ip is null ? null : $"{identity ?? "-"}@{ip ?? "-"}";

    public static string Key(string kind, string value) => $"{kind}/{value}";

    public static (string Kind, string Value) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
