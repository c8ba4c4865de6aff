using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Core.Join;

/// <summary>Where the join's counter moves go: the message's account and each of its dimensions.</summary>
public interface ICounterSink
{
    void Add(MessageLedger message, int provider, int counter, long timestampMs, int amount = 1, string? responseRule = null);
    void Sample(EvidenceSample sample);

    /// <summary>Is the address on the account's suppression list (sends to it count as suppressed)?</summary>
    bool IsSuppressed(string email);

    /// <summary>A hard bounce or complaint puts the address on the account's suppression list.</summary>
    void Suppress(MessageLedger message, string email, string reason, long timestampMs);
}
