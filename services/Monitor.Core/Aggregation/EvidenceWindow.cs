namespace ReputationMonitor.Core.Aggregation;

/// <summary>The window a figure was computed over, as published (in decisions' evidence and in account statistics).</summary>
/// <param name="Mode">Null for the evaluation window; <c>representativeVolume</c> when the rate is over the last
/// <paramref name="Volume"/> recipients (the window then spans as far back as they reach).</param>
public sealed record EvidenceWindow(DateTimeOffset Start, DateTimeOffset End, long DurationSeconds, string? Mode = null, long? Volume = null)
{
    public static EvidenceWindow Of(WindowSnapshot w) => new(DateTimeOffset.FromUnixTimeMilliseconds(w.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(w.EndMs), (long)w.Window.TotalSeconds,
        w.Representative is null ? null : EvaluationOptions.RepresentativeVolume, w.Representative);
}
