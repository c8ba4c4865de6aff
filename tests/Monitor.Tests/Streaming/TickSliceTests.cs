using System.Text;
using ReputationMonitor.Configuration;
using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Engine.State;
using ReputationMonitor.Tests.Support;
using static ReputationMonitor.Tests.Support.SesJson;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>
/// A tick over many changed accounts comes back in slices (each slice's outputs go out before the next is made); over the
/// slices, every changed account's statistics are published exactly once, and the next tick starts a new pass.
/// </summary>
public sealed class TickSliceTests
{
    [Fact]
    public void A_tick_over_more_accounts_than_a_slice_publishes_each_once_across_its_slices()
    {
        var settings = new ReputationEngineSettings { Topics = new KafkaOptions().AllTopics(), Clock = new ManualClock(T0.AddHours(1)), MaxFutureSkew = TimeSpan.FromDays(3650) };
        var engine = new ReputationEngine(settings, new ChangeloggedEntries(), ledgersWriteThrough: true);
        var attempts = InputParser.For(InputTable.Sources(settings.Topics).Single(s => s.Kind == InputKind.SendAttempts), settings);
        var accounts = Enumerable.Range(0, ReputationEngine.TickSlice * 2 + 7).Select(i => $"98{i:D10}").ToList();
        foreach (var account in accounts)
            engine.Process(attempts.Parse(Encoding.UTF8.GetBytes(OperatorScenario.Attempts(account, ids: account)[0])).Input!);

        var published = new List<string>();
        var calls = 0;
        do
        {
            var outputs = engine.Tick();
            calls++;
            Assert.True(outputs.Count(o => o.Value.Snapshot is not null) <= ReputationEngine.TickSlice);
            published.AddRange(outputs.Where(o => o.Value.Snapshot is not null).Select(o => o.Key));
        } while (engine.TickInProgress);

        Assert.True(calls >= 3, $"{calls} calls");
        Assert.Equal(accounts.Order(), published.Order());
        Assert.DoesNotContain(engine.Tick(), o => o.Value.Snapshot is not null); // nothing changed since: a new, empty pass
        Assert.False(engine.TickInProgress);
    }
}
