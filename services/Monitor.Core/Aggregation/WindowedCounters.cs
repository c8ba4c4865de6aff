using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Adds counter increments to an <see cref="AccountAggregate"/>'s event-time buckets and reads the
/// evaluation window back. An event older than the window (relative to the account's stream time) is
/// late: it cannot change a closed window, so it is counted in <see cref="AccountAggregate.LateEvents"/>.
/// </summary>
public sealed class WindowedCounters(WindowOptions options)
{
    private readonly long _bucketMs = (long)options.BucketSize.TotalMilliseconds;
    private readonly long _windowMs = (long)options.Window.TotalMilliseconds;

    public WindowOptions Options => options;

    public bool Add(AccountAggregate agg, int provider, int counter, long timestampMs, int amount = 1)
    {
        if (timestampMs > agg.StreamTimeMs)
        {
            agg.StreamTimeMs = timestampMs;
            Prune(agg);
        }
        var start = timestampMs - Mod(timestampMs, _bucketMs);
        if (start + _bucketMs <= agg.StreamTimeMs - _windowMs)
        {
            agg.LateEvents++;
            return false;
        }
        var bucket = FindOrInsert(agg.Buckets, start);
        bucket.Counts[provider * Counters.Count + counter] += amount;
        agg.Version++;
        return true;
    }

    public void AddSample(AccountAggregate agg, EvidenceSample sample)
    {
        agg.Samples.Add(sample);
        if (agg.Samples.Count > options.MaxSamples) agg.Samples.RemoveAt(0);
    }

    /// <summary>Totals and per-provider counts over the window ending at the account's stream time.</summary>
    public WindowSnapshot Snapshot(AccountAggregate agg)
    {
        var from = agg.StreamTimeMs - _windowMs;
        var total = new CounterSet();
        var byProvider = new CounterSet[Providers.Count];
        for (var p = 0; p < Providers.Count; p++) byProvider[p] = new CounterSet();
        foreach (var b in agg.Buckets)
        {
            if (b.StartMs + _bucketMs <= from) continue;
            for (var p = 0; p < Providers.Count; p++)
            for (var c = 0; c < Counters.Count; c++)
            {
                var v = b.Counts[p * Counters.Count + c];
                if (v == 0) continue;
                byProvider[p].Values[c] += v;
                total.Values[c] += v;
            }
        }
        return new WindowSnapshot(Math.Max(0, from), agg.StreamTimeMs, options.Window, total, byProvider);
    }

    private void Prune(AccountAggregate agg)
    {
        var horizon = agg.StreamTimeMs - _windowMs;
        agg.Buckets.RemoveAll(b => b.StartMs + _bucketMs <= horizon);
    }

    private static CounterBucket FindOrInsert(List<CounterBucket> buckets, long start)
    {
        // Buckets stay sorted; nearly every event lands in the newest one, so search from the end.
        var i = buckets.Count - 1;
        while (i >= 0 && buckets[i].StartMs > start) i--;
        if (i >= 0 && buckets[i].StartMs == start) return buckets[i];
        var b = new CounterBucket { StartMs = start };
        buckets.Insert(i + 1, b);
        return b;
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}

public sealed record WindowSnapshot(long StartMs, long EndMs, TimeSpan Window, CounterSet Totals, CounterSet[] ByProvider)
{
    public double BounceRate => Totals.Rate(Counters.HardBounces);
    public double ComplaintRate => Totals.Rate(Counters.Complaints);
}
