using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// Counters of one account in event-time buckets, enough to answer for the evaluation window, plus the
/// account's status and a few recent samples that explain its rates. Bounded: buckets older than the
/// window are pruned, samples are a small ring.
/// </summary>
public sealed class AccountAggregate
{
    public required string AccountId { get; set; }

    /// <summary>Highest event time applied to this account: the end of its evaluation window.</summary>
    public long StreamTimeMs { get; set; }

    /// <summary>Grows with every change; lets downstream stores ignore stale snapshots.</summary>
    public long Version { get; set; }

    public List<CounterBucket> Buckets { get; set; } = [];

    public string Status { get; set; } = EntityStatus.Healthy;
    public int StatusSequence { get; set; }
    public long StatusSinceMs { get; set; }
    public string? StatusRule { get; set; }

    public List<EvidenceSample> Samples { get; set; } = [];
    public long LateEvents { get; set; }
}

public sealed class CounterBucket
{
    public long StartMs { get; set; }

    /// <summary>[provider * Counters.Count + counter].</summary>
    public long[] Counts { get; set; } = new long[Providers.Count * Counters.Count];
}

/// <summary>One message that moved a bad counter: what an operator opens first.</summary>
public sealed class EvidenceSample
{
    public required string MessageId { get; set; }
    public required string Recipient { get; set; }
    public required string Counter { get; set; }
    public string? Diagnostic { get; set; }
    public string? Class { get; set; }
    public long AtMs { get; set; }
}
