using System.Text;
using ReputationMonitor.Configuration;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Engine;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Streaming;

/// <summary>An account id with the keys' separator would be attributed to another account's state: it never gets past the door.</summary>
public sealed class AccountIdDoorTests
{
    [Fact]
    public void Records_whose_account_id_holds_the_separator_go_to_the_dlq_with_the_reason()
    {
        var settings = new ReputationEngineSettings { Topics = new KafkaOptions().AllTopics(), MaxFutureSkew = TimeSpan.FromDays(3650) };
        var attempts = InputParser.For(InputTable.Sources(settings.Topics).Single(s => s.Kind == InputKind.SendAttempts), settings);
        var events = InputParser.For(InputTable.Sources(settings.Topics).Single(s => s.Kind == InputKind.SesEvents), settings);

        foreach (var (parser, json) in new[] { (attempts, OperatorScenario.Attempts("1111/2222")[0]), (events, OperatorScenario.Events("1111/2222")[0]) })
        {
            var parsed = parser.Parse(Encoding.UTF8.GetBytes(json));
            Assert.Null(parsed.Input);
            Assert.Equal(DlqReasons.InvalidAccountId, parsed.ErrorCode);
            Assert.Contains("'/'", parsed.Reason);
        }
        Assert.NotNull(attempts.Parse(Encoding.UTF8.GetBytes(OperatorScenario.Attempts("111122223333")[0])).Input);
    }
}
