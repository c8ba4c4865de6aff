using System.Text.Json;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

/// <summary>
/// A window's statistics are written straight from its counters, in exactly the JSON the dictionaries give (the shape
/// consumers of <c>reputation.entity-stats</c> read), and read back into the dictionaries.
/// </summary>
public sealed class WindowStatsJsonTests
{
    [Fact]
    public void Statistics_written_from_the_counters_are_the_json_of_the_dictionaries_and_read_back()
    {
        var counters = new WindowedCounters(new WindowOptions());
        var w = new EntityWindows();
        var t0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();
        counters.Add(w, Providers.Gmail, Counters.Sent, t0, 40);
        counters.Add(w, Providers.Gmail, Counters.HardBounces, t0 + 60_000, 3, "gmail-5.1.1");
        counters.Add(w, Providers.Yahoo, Counters.Sent, t0 + 120_000, 7);
        counters.Add(w, Providers.Yahoo, Counters.Complaints, t0 + 180_000, 1);
        counters.Tally(w, "attempt:accepted", t0 + 180_000);
        var snapshot = counters.Snapshot(w);

        var expected = JsonSerializer.Serialize(new WindowStatsJson
        {
            Start = DateTimeOffset.FromUnixTimeMilliseconds(snapshot.StartMs), End = DateTimeOffset.FromUnixTimeMilliseconds(snapshot.EndMs),
            DurationSeconds = (long)snapshot.Window.TotalSeconds, Totals = snapshot.Totals.ToDictionary(), ByProvider = ProviderCounts.From(snapshot),
            Responses = new Dictionary<string, long>(snapshot.Responses),
        }, CoreJsonContext.Default.WindowStatsJson);
        Assert.Contains("\"byProvider\":[{\"provider\":\"gmail\"", expected);

        var built = WindowStats.From(snapshot);
        Assert.Equal(expected, JsonSerializer.Serialize(built, CoreJsonContext.Default.WindowStats));
        var read = JsonSerializer.Deserialize(expected, CoreJsonContext.Default.WindowStats)!;
        Assert.Equal(expected, JsonSerializer.Serialize(read, CoreJsonContext.Default.WindowStats));
        Assert.Equal((47L, 3L, 1L), (read.Totals["sent"], read.ByProvider[0].Counts["hardBounces"], read.Responses["attempt:accepted"]));
        Assert.Equal(read.Totals, built.Totals); // what is read of one built from a window is made from it
        Assert.Equal(["gmail", "yahoo"], built.ByProvider.Select(p => p.Provider));
    }
}
