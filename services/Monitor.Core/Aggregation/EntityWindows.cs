using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>The windowed counters of one entity (an account, or one of its configuration sets, domains, IPs, ...).</summary>
public sealed class EntityWindows
{
    /// <summary>Highest event time applied: the end of the entity's windows.</summary>
    public long StreamTimeMs { get; set; }

    /// <summary>Earliest event time ever applied: how long this entity (a caller, a domain, ...) has been around.</summary>
    public long FirstSeenMs { get; set; }

    /// <summary>Grows with every change; lets downstream stores ignore stale snapshots.</summary>
    public long Version { get; set; }

    public List<CounterBucket> Minutes { get; set; } = [];
    public List<CounterBucket> Hours { get; set; } = [];
    public long LateEvents { get; set; }

    /// <summary>Older than the long window, day by day (sent, hard bounces, complaints): what a representative-volume rate reaches
    /// back into. Kept only for entities with a status, and only while a scope is measured that way.</summary>
    public List<DayTotals>? Days { get; set; }

    /// <summary>Status and review of the entity, for the scopes that have one (configuration sets, tenants).</summary>
    public EntityState? State { get; set; }

    /// <summary>Findings raised for this entity: "rule:provider" → start of the slice it was raised in.</summary>
    public Dictionary<string, long> Findings { get; set; } = [];

    /// <summary>The long window's totals over all providers, kept by <see cref="WindowedCounters"/> as the hours change so the
    /// per-record rate check reads three numbers; null until first read and after an hour leaves the window. Not stored:
    /// rebuilt from the hours.</summary>
    internal long[]? LongTotals;

    /// <summary>Hours leaving the long window are rolled up into <see cref="Days"/> (the entities with a status; set by whoever
    /// loads the windows, not stored).</summary>
    internal bool KeepsHistory;

    public void KeepHistory() => KeepsHistory = true;
}

/// <summary>One day of an entity's history beyond the long window: the counts its rates are made of.</summary>
public sealed class DayTotals
{
    public long StartMs { get; set; }
    public long Sent { get; set; }
    public long HardBounces { get; set; }
    public long Complaints { get; set; }
}

/// <summary>
/// One bucket of an entity's window: its counters by provider, a slice of <see cref="Counters.Count"/> per provider that had
/// traffic in it — most buckets see one to three of the six providers, so a bucket holds those slices only (an account's
/// windows in steady state are mostly buckets: this is what its memory and changelog bytes are made of).
/// </summary>
public sealed class CounterBucket
{
    private const int Full = Providers.Count * Counters.Count;
    private const int AllProviders = (1 << Providers.Count) - 1;

    public long StartMs { get; set; }

    /// <summary>Which providers have a slice in <see cref="Counts"/> (bit <c>1 &lt;&lt; provider</c>). 0 with a full-length
    /// <see cref="Counts"/>: every provider (the layout before slices, still read).</summary>
    public int ProviderMask { get; set; }

    /// <summary>The slices of the providers in <see cref="ProviderMask"/>, in provider order. 32-bit: an entity's bucket would
    /// need two billion recipients at one provider in an hour to fill one (saturates there), and half the bytes per bucket.</summary>
    public int[] Counts { get; set; } = [];

    /// <summary>
    /// Responses seen, by "provider|ruleId" (bounces, delays), and tallies of send requests by outcome: what the counts mean.
    /// A bucket holds a handful of keys, so they are pairs searched in order rather than a dictionary (which costs five times
    /// the memory with one key, and nearly every bucket has one).
    /// </summary>
    private KeyValuePair<string, long>[]? _responses;

    /// <summary>The responses and tallies, in the order they were first counted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ReadOnlySpan<KeyValuePair<string, long>> ResponseCounts => _responses;

    /// <summary>For JSON: the responses as a dictionary (built on each read; the engine reads <see cref="ResponseCounts"/>).</summary>
    [System.Text.Json.Serialization.JsonInclude, System.Text.Json.Serialization.JsonPropertyName("responses")]
    internal Dictionary<string, long>? Responses
    {
        get => _responses is null ? null : new Dictionary<string, long>(_responses, StringComparer.Ordinal);
        set => SetResponses(value);
    }

    /// <summary>Replaces the responses (a stored bucket read back); keys are shared with every other bucket's.</summary>
    public void SetResponses(IEnumerable<KeyValuePair<string, long>>? responses)
    {
        _responses = null;
        if (responses is null) return;
        foreach (var (key, n) in responses) CountResponse(ResponseKeys.Intern(key), n);
    }

    public long Response(string key)
    {
        foreach (var (k, n) in ResponseCounts)
            if (ReferenceEquals(k, key) || string.Equals(k, key, StringComparison.Ordinal)) return n;
        return 0;
    }

    /// <param name="key">Best one of <see cref="ResponseKeys"/>' (compared by reference first).</param>
    public void CountResponse(string key, long amount)
    {
        var responses = _responses;
        if (responses is not null)
            for (var i = 0; i < responses.Length; i++)
                if (ReferenceEquals(responses[i].Key, key) || string.Equals(responses[i].Key, key, StringComparison.Ordinal))
                {
                    responses[i] = new(responses[i].Key, responses[i].Value + amount);
                    return;
                }
        // Grown one pair at a time: most buckets keep one to three keys for good.
        var grown = new KeyValuePair<string, long>[(responses?.Length ?? 0) + 1];
        responses?.CopyTo(grown, 0);
        grown[^1] = new(key, amount);
        _responses = grown;
    }

    private int Mask => ProviderMask == 0 && Counts.Length == Full ? AllProviders : ProviderMask;

    /// <summary>Where <paramref name="provider"/>'s slice starts in <see cref="Counts"/>, or -1 without one.</summary>
    private int Slice(int provider)
    {
        var mask = Mask;
        return (mask & (1 << provider)) == 0 ? -1 : System.Numerics.BitOperations.PopCount((uint)(mask & ((1 << provider) - 1))) * Counters.Count;
    }

    public long Get(int provider, int counter) => Slice(provider) is var at and >= 0 ? Counts[at + counter] : 0;

    public void Add(int provider, int counter, long amount)
    {
        var at = Slice(provider);
        if (at < 0)
        {
            // A provider's first count in this bucket: its slice is inserted in provider order.
            var mask = Mask | (1 << provider);
            at = System.Numerics.BitOperations.PopCount((uint)(mask & ((1 << provider) - 1))) * Counters.Count;
            var counts = new int[Counts.Length + Counters.Count];
            Array.Copy(Counts, 0, counts, 0, at);
            Array.Copy(Counts, at, counts, at + Counters.Count, Counts.Length - at);
            Counts = counts;
            ProviderMask = mask;
        }
        Counts[at + counter] = (int)Math.Clamp(Counts[at + counter] + amount, int.MinValue, int.MaxValue); // moves subtract
    }

    /// <summary>Adds every counter, over the providers, to <paramref name="totals"/> (indexed by counter).</summary>
    public void AddTotals(long[] totals)
    {
        for (var i = 0; i < Counts.Length; i++) totals[i % Counters.Count] += Counts[i];
    }

    /// <summary>Adds the bucket into per-provider sets and their total; a provider's set is made when it first has a slice
    /// (the others stay null, see <see cref="CounterSet.Empty"/>).</summary>
    public void AddTo(CounterSet?[] byProvider, CounterSet total)
    {
        var mask = Mask;
        var at = 0;
        for (var p = 0; p < Providers.Count; p++)
        {
            if ((mask & (1 << p)) == 0) continue;
            var set = byProvider[p] ??= new CounterSet();
            for (var c = 0; c < Counters.Count; c++)
            {
                var v = Counts[at + c];
                set.Values[c] += v;
                total.Values[c] += v;
            }
            at += Counters.Count;
        }
    }
}
