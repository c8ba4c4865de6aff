using ReputationMonitor.Core.Join;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>Where the join's counter moves go: the message's account and each of its dimensions.</summary>
public interface ICounterSink
{
    void Add(MessageLedger message, int provider, int counter, long timestampMs, int amount = 1, string? responseRule = null);
    void Sample(EvidenceSample sample);
}
