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

    /// <param name="spanSeconds">The event time the messages spread over; 0: one second per 1,000 messages. A fixed span
    /// keeps the aggregates' windows alike at any message count, so what grows is only the state per message.</param>
    public static BenchData Generate(int messages, int accounts, int seed, int providers = 0, int spanSeconds = 0)
    {
        var span = TimeSpan.FromSeconds(spanSeconds > 0 ? spanSeconds : messages / 1000.0);
        var virtualMessagesPerSecond = messages / span.TotalSeconds;
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
