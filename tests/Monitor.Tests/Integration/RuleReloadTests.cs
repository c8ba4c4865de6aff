using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ReputationMonitor.Tests.Support;
using ReputationMonitor.Engine;
using ReputationMonitor.Hosting;

namespace ReputationMonitor.Tests.Integration;

[Collection(ApiCollection.Name)]
public sealed class RuleReloadTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public void A_valid_edit_takes_effect_and_an_invalid_one_is_refused_keeping_the_rules_in_force()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reputation:Thresholds:BouncePause"] = "0.10",
        }).Build();
        var book = new RuleBook(RuleSet.Defaults);
        using var _ = book.Follow(config, NullLogger.Instance);

        config["Reputation:Thresholds:BouncePause"] = "0.08";
        config.Reload();
        Assert.Equal(0.08, book.Current.Thresholds.BouncePause);
        Assert.Equal(1, book.Current.Version);

        config["Reputation:Thresholds:BouncePause"] = "3";                  // not a fraction
        config.Reload();
        Assert.Equal(0.08, book.Current.Thresholds.BouncePause);
        Assert.Equal(1, book.Current.Version);
    }

    [Fact]
    public async Task A_running_service_survives_an_invalid_edit_and_applies_a_valid_one()
    {
        await using var monitor = await MonitorInstance.StartAsync(kafka, postgres);
        var book = monitor.Service<RuleBook>();

        monitor.Configuration["Reputation:Thresholds:ComplaintReview"] = "7";
        monitor.Configuration.Reload();                                     // must not throw on the watcher's thread
        Assert.Equal(0.001, book.Current.Thresholds.ComplaintReview);

        monitor.Configuration["Reputation:Thresholds:ComplaintReview"] = "0.002";
        monitor.Configuration.Reload();
        Assert.Equal(0.002, book.Current.Thresholds.ComplaintReview);
        using var http = monitor.Client(key: null);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }
}
