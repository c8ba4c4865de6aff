using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// Event time is bounded by arrival: a record dated further ahead of the wall clock than the allowed skew would move
/// its partition's and its entity's stream time past every honest event (which would then all count as late), so it
/// is refused at the door, and the engine refuses it again should one reach it another way.
/// </summary>
public static class EventTime
{
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(15);

    /// <summary>Why <paramref name="e"/> is too far in the future, or null when it is not.</summary>
    public static string? FutureViolation(NormalizedEvent e, long wallNowMs, long maxSkewMs)
    {
        var latest = Math.Max(e.TimestampMs, e.MailTimestampMs);
        if (latest - wallNowMs <= maxSkewMs) return null;
        return $"{DlqReasons.TimestampInFuture}: event time {Format(latest)} is more than {TimeSpan.FromMilliseconds(maxSkewMs)} " +
               $"ahead of the wall clock {Format(wallNowMs)}";
    }

    /// <summary>Whether an instant (Unix ms) is beyond the wall clock plus the skew.</summary>
    public static bool IsInFuture(long atMs, long wallNowMs, long maxSkewMs) => atMs - wallNowMs > maxSkewMs;

    private static string Format(long ms) =>
        ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
