namespace ReputationMonitor.Engine.Backtesting;

/// <summary>The wall clock of a replay: it stands where the archive has got to (the newest event time fed), so the engine's
/// clocks — join grace, ticks, review deadlines — run on the archive's time, not on today's.</summary>
internal sealed class SimulatedClock : TimeProvider
{
    public long NowMs { get; private set; }

    public void AdvanceTo(long ms)
    {
        if (ms > NowMs) NowMs = ms;
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
