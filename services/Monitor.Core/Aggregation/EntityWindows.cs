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

    /// <summary>The slices of the providers in <see cref="ProviderMask"/>, in provider order.</summary>
    public long[] Counts { get; set; } = [];

    /// <summary>Responses seen, by "provider|ruleId" (bounces, delays): what the counts mean.</summary>
    public Dictionary<string, long>? Responses { get; set; }

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
            var counts = new long[Counts.Length + Counters.Count];
            Array.Copy(Counts, 0, counts, 0, at);
            Array.Copy(Counts, at, counts, at + Counters.Count, Counts.Length - at);
            Counts = counts;
            ProviderMask = mask;
        }
        Counts[at + counter] += amount;
    }

    /// <summary>Adds every counter, over the providers, to <paramref name="totals"/> (indexed by counter).</summary>
    public void AddTotals(long[] totals)
    {
        for (var i = 0; i < Counts.Length; i++) totals[i % Counters.Count] += Counts[i];
    }

    /// <summary>Adds the bucket into per-provider sets and their total.</summary>
    public void AddTo(CounterSet[] byProvider, CounterSet total)
    {
        var mask = Mask;
        var at = 0;
        for (var p = 0; p < Providers.Count; p++)
        {
            if ((mask & (1 << p)) == 0) continue;
            for (var c = 0; c < Counters.Count; c++)
            {
                var v = Counts[at + c];
                byProvider[p].Values[c] += v;
                total.Values[c] += v;
            }
            at += Counters.Count;
        }
    }
}
