namespace ReputationMonitor.Core.Model;

/// <summary>The per-recipient counters of the design. Indices are stable (stored state).</summary>
public static class Counters
{
    public const int Sent = 0, Delivered = 1, HardBounces = 2, SoftBounces = 3, Complaints = 4,
        Delayed = 5, Throttled = 6, Rejected = 7, Suppressed = 8;
    public const int Count = 9;

    private static readonly string[] Names =
        ["sent", "delivered", "hardBounces", "softBounces", "complaints", "delayed", "throttled", "rejected", "suppressed"];

    public static string Name(int counter) => Names[counter];

    /// <summary>Bit in a recipient's flags that says this counter already counted it.</summary>
    public static int Flag(int counter) => 1 << counter;
}

/// <summary>A fixed set of counter values (one per <see cref="Counters"/> index).</summary>
public sealed class CounterSet
{
    public long[] Values { get; set; } = new long[Counters.Count];

    /// <summary>
    /// All zero, shared by every window snapshot for the providers it has no counts of (most entities see one to three of the
    /// six, and a snapshot is made for every entity at every statistics tick). Never written: a snapshot's sets are filled
    /// while it is built (<see cref="Aggregation.CounterBucket.AddTo"/> makes a provider's own set first).
    /// </summary>
    public static readonly CounterSet Empty = new();

    public long this[int counter] => Values[counter];
    public long Sent => Values[Counters.Sent];

    public void Add(CounterSet other)
    {
        for (var i = 0; i < Counters.Count; i++) Values[i] += other.Values[i];
    }

    public double Rate(int counter) => Sent == 0 ? 0 : (double)Values[counter] / Sent;

    public Dictionary<string, long> ToDictionary()
    {
        var d = new Dictionary<string, long>(Counters.Count);
        for (var i = 0; i < Counters.Count; i++) d[Counters.Name(i)] = Values[i];
        return d;
    }
}
