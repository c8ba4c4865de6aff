using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

/// <summary>A bucket holds a slice of counters per provider it saw, in provider order, whatever order they came in.</summary>
public sealed class CounterBucketTests
{
    [Fact]
    public void Providers_get_slices_in_provider_order_and_read_back_exactly()
    {
        var b = new CounterBucket();
        b.Add(Providers.Yahoo, Counters.Sent, 5);
        b.Add(Providers.Gmail, Counters.Sent, 7);
        b.Add(Providers.Gmail, Counters.HardBounces, 2);
        b.Add(Providers.Other, Counters.Complaints, 1);
        b.Add(Providers.Yahoo, Counters.Delivered, 4);

        Assert.Equal(3 * Counters.Count, b.Counts.Length); // three providers, not six
        Assert.Equal((1 << Providers.Gmail) | (1 << Providers.Yahoo) | (1 << Providers.Other), b.ProviderMask);
        Assert.Equal((7L, 2L, 5L, 4L, 1L, 0L), (b.Get(Providers.Gmail, Counters.Sent), b.Get(Providers.Gmail, Counters.HardBounces),
            b.Get(Providers.Yahoo, Counters.Sent), b.Get(Providers.Yahoo, Counters.Delivered), b.Get(Providers.Other, Counters.Complaints),
            b.Get(Providers.Microsoft, Counters.Sent)));

        var totals = new long[Counters.Count];
        b.AddTotals(totals);
        Assert.Equal((12L, 2L, 1L, 4L), (totals[Counters.Sent], totals[Counters.HardBounces], totals[Counters.Complaints], totals[Counters.Delivered]));
        var byProvider = Enumerable.Range(0, Providers.Count).Select(_ => new CounterSet()).ToArray();
        var total = new CounterSet();
        b.AddTo(byProvider, total);
        Assert.Equal((7L, 0L, 5L, 0L), (byProvider[Providers.Gmail].Sent, byProvider[Providers.Microsoft].Sent, byProvider[Providers.Yahoo].Sent,
            byProvider[Providers.Other].Sent));
        Assert.Equal(12L, total.Sent);
    }

    [Fact]
    public void A_bucket_in_the_full_layout_of_every_provider_reads_as_before()
    {
        var full = new int[Providers.Count * Counters.Count];
        full[Providers.Microsoft * Counters.Count + Counters.Sent] = 9;
        full[Providers.Comcast * Counters.Count + Counters.HardBounces] = 3;
        var b = new CounterBucket { Counts = full }; // no mask: stored before slices

        Assert.Equal((9L, 3L, 0L), (b.Get(Providers.Microsoft, Counters.Sent), b.Get(Providers.Comcast, Counters.HardBounces), b.Get(Providers.Gmail, Counters.Sent)));
        b.Add(Providers.Gmail, Counters.Sent, 1);
        Assert.Equal((1L, 9L), (b.Get(Providers.Gmail, Counters.Sent), b.Get(Providers.Microsoft, Counters.Sent)));
        Assert.Equal(full.Length, b.Counts.Length);
    }

    [Fact]
    public void Counters_are_32_bit_and_saturate_instead_of_wrapping_and_moves_take_them_below_zero()
    {
        var b = new CounterBucket();
        b.Add(Providers.Gmail, Counters.Sent, int.MaxValue);
        b.Add(Providers.Gmail, Counters.Sent, 5);
        b.Add(Providers.Other, Counters.Sent, -1); // a send moved to another provider once its recipient is known
        Assert.Equal((int.MaxValue, -1L), (b.Get(Providers.Gmail, Counters.Sent), b.Get(Providers.Other, Counters.Sent)));
    }

    [Fact]
    public void Responses_count_by_key_whichever_copy_of_the_key_and_buckets_share_one_copy()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var w = new EntityWindows();
        counters.Add(w, Providers.Gmail, Counters.SoftBounces, 60_000, 2, "gmail-4.7.28-rate");
        counters.Add(w, Providers.Gmail, Counters.SoftBounces, 125_000, 1, "gmail-4.7.28-rate");
        counters.Add(w, Providers.Yahoo, Counters.SoftBounces, 126_000, 1, "yahoo-tss04");
        var b = w.Minutes[^1];
        b.CountResponse(new string("gmail|gmail-4.7.28-rate".AsSpan()), 4); // equal, not the same string

        Assert.Equal((5L, 1L, 0L), (b.Response("gmail|gmail-4.7.28-rate"), b.Response("yahoo|yahoo-tss04"), b.Response("yahoo|other")));
        Assert.Equal(2, b.ResponseCounts.Length);
        Assert.Same(w.Minutes[0].ResponseCounts[0].Key, b.ResponseCounts[0].Key);
        Assert.Equal(3L, w.Hours.Single().Response("gmail|gmail-4.7.28-rate"));
        Assert.Equal(7L, counters.Snapshot(w, WindowKind.Short).Responses["gmail|gmail-4.7.28-rate"]);
    }

    [Fact]
    public void A_snapshot_has_sets_of_its_own_for_the_providers_it_counts_and_shares_the_zero_set_for_the_others()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var gmail = new EntityWindows();
        counters.Add(gmail, Providers.Gmail, Counters.Sent, 60_000, 3);
        var yahoo = new EntityWindows();
        counters.Add(yahoo, Providers.Yahoo, Counters.Sent, 60_000, 4);

        var a = counters.Snapshot(gmail, WindowKind.Long);
        var b = counters.Snapshot(yahoo, WindowKind.Short);
        Assert.Equal((3L, 0L, 4L, 0L), (a.ByProvider[Providers.Gmail].Sent, a.ByProvider[Providers.Yahoo].Sent,
            b.ByProvider[Providers.Yahoo].Sent, b.ByProvider[Providers.Gmail].Sent));
        Assert.Same(CounterSet.Empty, a.ByProvider[Providers.Yahoo]);
        Assert.Same(CounterSet.Empty, b.ByProvider[Providers.Gmail]);
        Assert.All(CounterSet.Empty.Values, v => Assert.Equal(0L, v)); // filling one snapshot never wrote into another's
    }
}
