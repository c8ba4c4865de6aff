using System.Text;
using ReputationMonitor.Simulation;

namespace ReputationMonitor.EndToEnd;

public readonly record struct BenchRecord(bool IsAttempt, byte[] Key, byte[] Value);

/// <summary>
/// The records every pipeline reads, generated once per run by the traffic simulator (the <c>steady</c> mix over
/// the providers) and held as bytes, so producing costs the same for every pipeline. Event times end now, so
/// nothing is late for the windows.
/// </summary>
public sealed class BenchData
{
    public required BenchRecord[] Records { get; init; }
    public required int Messages { get; init; }
    public long Bytes { get; init; }
    public int Attempts => Records.Count(r => r.IsAttempt);

    public static BenchData Generate(int messages, int accounts, int seed, int providers = 0)
    {
        const double virtualMessagesPerSecond = 1000;
        var span = TimeSpan.FromSeconds(messages / virtualMessagesPerSecond);
        var simulator = new TrafficSimulator(SimulationScenario.Steady, seed, accounts, DateTimeOffset.UtcNow - span - TimeSpan.FromMinutes(1),
            virtualMessagesPerSecond, span, providers);
        var records = new List<BenchRecord>(messages * 3);
        long bytes = 0;
        for (var i = 0; i < messages; i++)
            foreach (var r in simulator.Next().Records)
            {
                var value = Encoding.UTF8.GetBytes(r.Json);
                bytes += value.Length;
                records.Add(new BenchRecord(r.IsAttempt, Encoding.UTF8.GetBytes(r.MessageId), value));
            }
        return new BenchData { Records = [.. records], Messages = messages, Bytes = bytes };
    }
}
