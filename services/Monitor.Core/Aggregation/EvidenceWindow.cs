namespace ReputationMonitor.Core.Aggregation;

/// <summary>The window a figure was computed over, as published (in decisions' evidence and in account statistics).</summary>
public sealed record EvidenceWindow(DateTimeOffset Start, DateTimeOffset End, long DurationSeconds)
{
    public static EvidenceWindow Of(WindowSnapshot w) => new(DateTimeOffset.FromUnixTimeMilliseconds(w.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(w.EndMs), (long)w.Window.TotalSeconds);
}
