using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Backtesting;

/// <summary>
/// An archive whose decisions under the default rules (review at 5 %, pause at 10 %) and under a candidate (3 %, 8 %) are
/// worked out by hand. Message i is sent at T0 + i s and its outcome arrives half a second later; the rate rules count the
/// sends from the attempt and act at the record that crosses.
/// </summary>
public static class KnownArchive
{
    /// <summary>Every 25th of 400 messages bounces: 4 %, under 5 % throughout; 3.5 % (7 of 200) at the 200th send, so the
    /// candidate reviews it there (the bounce rule's minimum volume is 200).</summary>
    public const string Steady = "700000000001";

    /// <summary>300 delivered, then every message bounces. After the bounce of message 300 + k: k + 1 of 301 + k. The candidate
    /// reviews at k = 9 (10 / 310 = 3.2 %), the rules in force at k = 15 (16 / 316 = 5.1 %); the candidate pauses at k = 26
    /// (27 / 327 = 8.3 %), the rules in force at k = 33 (34 / 334 = 10.2 %).</summary>
    public const string Rising = "700000000002";

    public const string CandidateRules = """{"Thresholds": {"BounceReview": 0.03, "BouncePause": 0.08}}""";

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static IEnumerable<string> Lines()
    {
        for (var i = 0; i < 400; i++)
        {
            foreach (var line in Message(Steady, i, bounces: i % 25 == 24)) yield return line;
            foreach (var line in Message(Rising, i, bounces: i >= 300)) yield return line;
        }
    }

    private static IEnumerable<string> Message(string account, int i, bool bounces)
    {
        var (id, to, at) = ($"bt-{account}-{i:D3}", $"r{i}@gmail.com", At(i));
        yield return Attempt(id, account, at, to);
        yield return bounces ? Bounce(id, account, at, at.AddSeconds(0.5), to) : Delivery(id, account, at, at.AddSeconds(0.5), to);
    }
}
