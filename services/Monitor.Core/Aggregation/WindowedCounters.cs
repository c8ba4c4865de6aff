using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Adds counter moves to an entity's two-tier buckets and reads its short (1 h) and long (24 h) windows
/// back. See <see cref="WindowOptions"/> for the lateness rule. With <paramref name="history"/>, the hours that leave the long
/// window of an entity that keeps history are rolled up into days, kept that long (representative-volume rates).
/// </summary>
public sealed class WindowedCounters(WindowOptions options, TimeSpan history = default)
{
    private const long DayMs = 86_400_000;
    private readonly long _bucketMs = (long)options.BucketSize.TotalMilliseconds;
    private readonly long _rollupMs = (long)options.RollupSize.TotalMilliseconds;
    private readonly long _windowMs = (long)options.Window.TotalMilliseconds;
    private readonly long _shortMs = (long)options.ShortWindow.TotalMilliseconds;
    private readonly long _historyMs = (long)history.TotalMilliseconds;

    public WindowOptions Options => options;

    /// <returns>False when the event was late (older than the long window) and changed nothing.</returns>
    public bool Add(EntityWindows w, int provider, int counter, long timestampMs, int amount = 1, string? responseRule = null)
    {
        if (w.FirstSeenMs == 0 || timestampMs < w.FirstSeenMs) w.FirstSeenMs = timestampMs;
        if (timestampMs > w.StreamTimeMs)
        {
            w.StreamTimeMs = timestampMs;
            Prune(w);
        }
        var hourStart = Floor(timestampMs, _rollupMs);
        if (hourStart + _rollupMs <= w.StreamTimeMs - _windowMs)
        {
            w.LateEvents++;
            return false;
        }
        Apply(FindOrInsert(w.Hours, hourStart), provider, counter, amount, responseRule);
        if (w.LongTotals is { } totals) totals[counter] += amount;
        var minuteStart = Floor(timestampMs, _bucketMs);
        if (minuteStart + _bucketMs > w.StreamTimeMs - _shortMs)
            Apply(FindOrInsert(w.Minutes, minuteStart), provider, counter, amount, responseRule);
        w.Version++;
        return true;
    }

    /// <summary>Counts something that is not a recipient counter (send requests by outcome) in the same buckets.</summary>
    public void Tally(EntityWindows w, string key, long timestampMs)
    {
        if (timestampMs > w.StreamTimeMs)
        {
            w.StreamTimeMs = timestampMs;
            Prune(w);
        }
        var hourStart = Floor(timestampMs, _rollupMs);
        if (hourStart + _rollupMs <= w.StreamTimeMs - _windowMs) return;
        Increment(FindOrInsert(w.Hours, hourStart), key);
        var minuteStart = Floor(timestampMs, _bucketMs);
        if (minuteStart + _bucketMs > w.StreamTimeMs - _shortMs) Increment(FindOrInsert(w.Minutes, minuteStart), key);
        w.Version++;
    }

    private static void Increment(CounterBucket bucket, string key) => bucket.CountResponse(ResponseKeys.Intern(key), 1);

    public void AddSample(AccountAggregate agg, EvidenceSample sample)
    {
        agg.Samples.Add(sample);
        if (agg.Samples.Count > options.MaxSamples) agg.Samples.RemoveAt(0);
    }

    /// <summary>The long (rule evaluation) window.</summary>
    public WindowSnapshot Snapshot(EntityWindows w) => Snapshot(w, WindowKind.Long);

    /// <param name="notBeforeMs">Leave out buckets that start before this event time (a fresh start after a
    /// resume; at the window's granularity).</param>
    public WindowSnapshot Snapshot(EntityWindows w, WindowKind kind, long notBeforeMs = 0)
    {
        var (buckets, windowMs, sizeMs, span) = kind == WindowKind.Short
            ? (w.Minutes, _shortMs, _bucketMs, options.ShortWindow)
            : (w.Hours, _windowMs, _rollupMs, options.Window);
        var from = w.StreamTimeMs - windowMs;
        var total = new CounterSet();
        var byProvider = new CounterSet?[Providers.Count];
        var responses = new Dictionary<string, long>();
        foreach (var b in buckets)
        {
            if (b.StartMs + sizeMs <= from || b.StartMs < notBeforeMs) continue;
            b.AddTo(byProvider, total);
            foreach (var (key, n) in b.ResponseCounts) responses[key] = responses.GetValueOrDefault(key) + n;
        }
        return new WindowSnapshot(Math.Max(0, from), w.StreamTimeMs, span, total, ProviderSets(byProvider), responses);
    }

    /// <summary>
    /// What the rate rules read of the long window — the same numbers as <see cref="Snapshot(EntityWindows, WindowKind, long)"/>'s
    /// totals — without building a snapshot: every hour kept is inside the window (<see cref="Prune"/>), so the totals are kept
    /// as counts move, and a record costs no snapshot per entity.
    /// </summary>
    public RateTotals LongTotals(EntityWindows w, long notBeforeMs = 0)
    {
        if (w.Hours.Count > 0 && w.Hours[0].StartMs < notBeforeMs)
        {
            // A fresh start inside the window (after a resume): only the hours since.
            var since = new long[Counters.Count];
            foreach (var b in w.Hours)
                if (b.StartMs >= notBeforeMs) AddTotals(b, since);
            return RateTotals.From(since);
        }
        if (w.LongTotals is null)
        {
            var totals = new long[Counters.Count];
            foreach (var b in w.Hours) AddTotals(b, totals);
            w.LongTotals = totals;
        }
        return RateTotals.From(w.LongTotals);
    }

    private static void AddTotals(CounterBucket b, long[] totals) => b.AddTotals(totals);

    /// <summary>The most recent <paramref name="span"/> of the short window (e.g. the 15-minute feedback slice).</summary>
    public WindowSnapshot Recent(EntityWindows w, TimeSpan span)
    {
        // The last span / bucket minute buckets, the current (partial) one included.
        var spanMs = Math.Min((long)span.TotalMilliseconds, _shortMs);
        var firstBucket = Floor(w.StreamTimeMs, _bucketMs) - spanMs + _bucketMs;
        var recent = Snapshot(w, WindowKind.Short, notBeforeMs: firstBucket);
        return recent with { StartMs = firstBucket, Window = TimeSpan.FromMilliseconds(spanMs) };
    }

    /// <summary>The long window's hours before the last hour (the baseline), and how many hours they span.</summary>
    public (CounterSet Totals, double Hours) Prior(EntityWindows w)
    {
        var lastHourStart = w.StreamTimeMs - _shortMs;
        var from = Math.Max(w.FirstSeenMs, w.StreamTimeMs - _windowMs);
        var totals = new CounterSet();
        foreach (var b in w.Hours)
            if (b.StartMs + _rollupMs <= lastHourStart && b.StartMs >= from - _rollupMs)
                b.AddTotals(totals.Values);
        return (totals, Math.Max(0, (lastHourStart - from) / 3_600_000.0));
    }

    /// <summary>
    /// Average recipients sent per hour before the last hour, over the long window (at most
    /// Window − 1 h of history, at least <paramref name="minHistory"/>); null while there is not enough history.
    /// </summary>
    public double? HourlyBaseline(EntityWindows w, TimeSpan minHistory)
    {
        if (w.FirstSeenMs == 0 || w.StreamTimeMs - _shortMs - w.FirstSeenMs < (long)minHistory.TotalMilliseconds) return null;
        var (totals, hours) = Prior(w);
        return hours <= 0 ? null : totals.Sent / hours;
    }

    private static void Apply(CounterBucket bucket, int provider, int counter, int amount, string? responseRule)
    {
        bucket.Add(provider, counter, amount);
        if (responseRule is not null) bucket.CountResponse(ResponseKeys.For(provider, responseRule), amount);
    }

    private void Prune(EntityWindows w)
    {
        var longHorizon = w.StreamTimeMs - _windowMs;
        if (w.Hours.Count > 0 && w.Hours[0].StartMs + _rollupMs <= longHorizon)
        {
            if (w.KeepsHistory && _historyMs > 0)
                foreach (var b in w.Hours)
                    if (b.StartMs + _rollupMs <= longHorizon) RollUp(w, b);
            w.Hours.RemoveAll(b => b.StartMs + _rollupMs <= longHorizon);
            w.LongTotals = null;
        }
        if (w.Days is { Count: > 0 } days && days[0].StartMs + DayMs <= w.StreamTimeMs - _historyMs)
        {
            days.RemoveAll(d => d.StartMs + DayMs <= w.StreamTimeMs - _historyMs);
            if (days.Count == 0) w.Days = null;
        }
        var shortHorizon = w.StreamTimeMs - _shortMs;
        if (w.Minutes.Count > 0 && w.Minutes[0].StartMs + _bucketMs <= shortHorizon)
            w.Minutes.RemoveAll(b => b.StartMs + _bucketMs <= shortHorizon);
    }

    /// <summary>An hour leaving the long window joins its day's totals (days stay in time order: hours leave oldest first).</summary>
    private static void RollUp(EntityWindows w, CounterBucket hour)
    {
        long sent = 0, bounces = 0, complaints = 0;
        for (var p = 0; p < Providers.Count; p++)
        {
            sent += hour.Get(p, Counters.Sent);
            bounces += hour.Get(p, Counters.HardBounces);
            complaints += hour.Get(p, Counters.Complaints);
        }
        if (sent + bounces + complaints == 0) return;
        var dayStart = Floor(hour.StartMs, DayMs);
        w.Days ??= [];
        if (w.Days.Count == 0 || w.Days[^1].StartMs != dayStart) w.Days.Add(new DayTotals { StartMs = dayStart });
        var day = w.Days[^1];
        day.Sent += sent;
        day.HardBounces += bounces;
        day.Complaints += complaints;
    }

    /// <summary>What a status scope's rates are judged on: the long window, or its representative volume.</summary>
    public WindowSnapshot Evaluated(EntityWindows w, Evaluation evaluation, long notBeforeMs = 0) =>
        evaluation.IsRepresentative ? Representative(w, evaluation, notBeforeMs) : Snapshot(w, WindowKind.Long, notBeforeMs);

    /// <summary>The per-record check's three numbers, in either mode.</summary>
    public RateTotals EvaluatedTotals(EntityWindows w, Evaluation evaluation, long notBeforeMs = 0) =>
        evaluation.IsRepresentative ? Representative(w, evaluation, notBeforeMs).RateTotals : LongTotals(w, notBeforeMs);

    /// <summary>
    /// The last <see cref="Evaluation.Volume"/> recipients, newest first: the long window's hours, then the days before it,
    /// back at most <see cref="Evaluation.MaxAge"/>, whole buckets (the rate covers at least the volume, like SES's "the last
    /// 10,192 eligible emails"). Before the long window the counts are totals only: the per-provider split covers the hours.
    /// </summary>
    public WindowSnapshot Representative(EntityWindows w, Evaluation evaluation, long notBeforeMs = 0)
    {
        var end = w.StreamTimeMs;
        var total = new CounterSet();
        var byProvider = new CounterSet?[Providers.Count];
        var responses = new Dictionary<string, long>();
        var start = end;
        var from = end - _windowMs;
        for (var i = w.Hours.Count - 1; i >= 0 && total.Sent < evaluation.Volume; i--)
        {
            var b = w.Hours[i];
            if (b.StartMs + _rollupMs <= from || b.StartMs < notBeforeMs) break;
            b.AddTo(byProvider, total);
            foreach (var (key, n) in b.ResponseCounts) responses[key] = responses.GetValueOrDefault(key) + n;
            start = b.StartMs;
        }
        var oldest = end - (long)evaluation.MaxAge.TotalMilliseconds;
        for (var i = (w.Days?.Count ?? 0) - 1; i >= 0 && total.Sent < evaluation.Volume; i--)
        {
            var d = w.Days![i];
            if (d.StartMs < oldest || d.StartMs < notBeforeMs) break;
            total.Values[Counters.Sent] += d.Sent;
            total.Values[Counters.HardBounces] += d.HardBounces;
            total.Values[Counters.Complaints] += d.Complaints;
            start = d.StartMs;
        }
        return new WindowSnapshot(start, end, TimeSpan.FromMilliseconds(end - start), total, ProviderSets(byProvider), responses, evaluation.Volume);
    }

    /// <summary>The providers without counts share <see cref="CounterSet.Empty"/>.</summary>
    private static CounterSet[] ProviderSets(CounterSet?[] byProvider)
    {
        for (var p = 0; p < byProvider.Length; p++) byProvider[p] ??= CounterSet.Empty;
        return byProvider!;
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

    private static long Floor(long t, long size) => t - (((t % size) + size) % size);
}

/// <summary>The counts the rate rules judge a window by.</summary>
public readonly record struct RateTotals(long Sent, long HardBounces, long Complaints)
{
    public static RateTotals From(long[] totals) => new(totals[Counters.Sent], totals[Counters.HardBounces], totals[Counters.Complaints]);
}

/// <param name="Representative">The volume target when the snapshot is a representative-volume one (its span is how far back
/// the volume reached), else null.</param>
public sealed record WindowSnapshot(long StartMs, long EndMs, TimeSpan Window, CounterSet Totals, CounterSet[] ByProvider,
    IReadOnlyDictionary<string, long> Responses, long? Representative = null)
{
    public double BounceRate => Totals.Rate(Counters.HardBounces);
    public double ComplaintRate => Totals.Rate(Counters.Complaints);

    public RateTotals RateTotals => RateTotals.From(Totals.Values);
}
