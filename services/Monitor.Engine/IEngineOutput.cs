
namespace ReputationMonitor.Engine;

/// <summary>Where the engine's outputs go: the host routes each to its topic.</summary>
public interface IEngineOutput
{
    /// <summary>A decision, finding, statistic or suppression change (exactly one property of <paramref name="output"/> set).</summary>
    void Emit(string key, StreamOutput output);

    /// <summary>A record the engine could not process, on its way to the DLQ with the reason.</summary>
    void Reject(string key, byte[] value, string reason);
}
