using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// An account's status, its own windows, and a few recent samples that explain its rates.
/// Its dimension entities (configuration sets, tenants, domains, pools, IPs) are stored beside it.
/// </summary>
public sealed class AccountAggregate
{
    public required string AccountId { get; set; }
    public EntityWindows Windows { get; set; } = new();

    public EntityState State { get; set; } = new();
    public string Status => State.Status;

    public List<EvidenceSample> Samples { get; set; } = [];

    /// <summary>Dimension entity keys ("kind/value") this account has, least recently used first (for the bound).</summary>
    public List<string> Dimensions { get; set; } = [];

    public long StreamTimeMs => Windows.StreamTimeMs;
    public long Version => Windows.Version;
    public long LateEvents => Windows.LateEvents;
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
