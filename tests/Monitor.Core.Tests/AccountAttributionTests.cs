using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Tests;

public sealed class AccountAttributionTests
{
    private static readonly long T0 = DateTimeOffset.Parse("2026-11-20T09:00:00Z").ToUnixTimeMilliseconds();

    [Fact]
    public void Every_dimension_of_a_message_counts_and_the_bound_drops_the_oldest_which_comes_back_as_a_new_one()
    {
        var counters = new WindowedCounters(new WindowOptions { MaxDimensionsPerAccount = 3 });
        var account = new AccountAggregate { AccountId = "a1" };
        var windows = new Dictionary<string, EntityWindows>();
        var asked = new List<string>();
        var evicted = new List<string>();
        var sink = new AccountAttribution(counters, account,
            k => { asked.Add(k.Dimension); return windows[k.Dimension] = new EntityWindows(); }, k => evicted.Add(k.Dimension));
        long Sent(string key) => counters.Snapshot(windows[key]).Totals.Sent;

        var m1 = new MessageLedger { MessageId = "m1", AccountId = "a1", ConfigurationSet = "cs", SendingIp = "192.0.2.1", FromDomain = "a.example" };
        sink.Add(m1, Providers.Gmail, Counters.Sent, T0);
        sink.Add(m1, Providers.Gmail, Counters.Sent, T0);
        Assert.Equal(["configurationSet/cs", "domain/a.example", "ip/192.0.2.1"], asked); // each resolved once
        Assert.Equal(2, Sent("configurationSet/cs"));
        Assert.Equal(2, Sent("domain/a.example"));
        Assert.Equal(2, Sent("ip/192.0.2.1"));
        Assert.Equal(2, counters.Snapshot(account.Windows).Totals.Sent);

        // A fourth dimension: the oldest (the configuration set) is dropped and its windows forgotten.
        var m2 = new MessageLedger { MessageId = "m2", AccountId = "a1", SendingIp = "192.0.2.2", FromDomain = "a.example" };
        sink.Add(m2, Providers.Gmail, Counters.Sent, T0);
        Assert.Equal(["configurationSet/cs"], evicted);
        Assert.Equal(["domain/a.example", "ip/192.0.2.1", "ip/192.0.2.2"], account.Dimensions);
        Assert.Equal(3, Sent("domain/a.example"));
        Assert.Equal(1, Sent("ip/192.0.2.2"));

        // The dropped one is asked for again: it starts anew (and drops the next oldest).
        var m3 = new MessageLedger { MessageId = "m3", AccountId = "a1", ConfigurationSet = "cs" };
        sink.Add(m3, Providers.Gmail, Counters.Sent, T0);
        Assert.Equal(2, asked.Count(k => k == "configurationSet/cs"));
        Assert.Equal(1, Sent("configurationSet/cs"));
        Assert.Equal(["configurationSet/cs", "domain/a.example"], evicted);
        Assert.Equal(4, counters.Snapshot(account.Windows).Totals.Sent);
    }
}
