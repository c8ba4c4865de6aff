using System.Collections.Concurrent;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// The keys buckets count responses under ("provider|ruleId", tallies), one string per key for the process: a bucket's key
/// is then a reference (compared as such first), not a copy per bucket, and counting a response allocates nothing.
/// Bounded: cleared when full (keys come from rule ids and tallies, but a stored state may hold anything); a key made again
/// after that is equal, only not shared.
/// </summary>
public static class ResponseKeys
{
    private const int MaxKeys = 20_000;
    private static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(int Provider, string Rule), string> ByRule = new();

    /// <summary>The key of a response rule's hits at a provider.</summary>
    public static string For(int provider, string rule)
    {
        if (ByRule.TryGetValue((provider, rule), out var key)) return key;
        key = Intern($"{Providers.Name(provider)}|{rule}");
        if (ByRule.Count >= MaxKeys) ByRule.Clear();
        ByRule[(provider, rule)] = key;
        return key;
    }

    /// <summary>The process's copy of <paramref name="key"/>.</summary>
    public static string Intern(string key)
    {
        if (Keys.TryGetValue(key, out var shared)) return shared;
        if (Keys.Count >= MaxKeys) Keys.Clear();
        return Keys.GetOrAdd(key, key);
    }
}
