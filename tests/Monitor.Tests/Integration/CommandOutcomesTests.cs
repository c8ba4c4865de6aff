using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Persistence;
using ReputationMonitor.Tests.Support;

namespace ReputationMonitor.Tests.Integration;

/// <summary>
/// The API learns that the stream's answer to a command is written from PostgreSQL itself (the projection's NOTIFY, in the
/// transaction that writes it), not by polling: a waiter completes when its command's decision or suppression change is
/// committed, and only then.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CommandOutcomesTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_command_s_waiter_completes_when_its_decision_or_suppression_change_is_written_and_not_for_another()
    {
        var connection = await postgres.CreateDatabaseAsync();
        DatabaseMigrator.Migrate(connection, NullLogger.Instance);
        await using var db = NpgsqlDataSource.Create(connection);
        var projections = new ProjectionStore(db);
        using var outcomes = new CommandOutcomes(db, NullLogger<CommandOutcomes>.Instance);
        await outcomes.StartAsync(CancellationToken.None);
        await outcomes.Listening.WaitAsync(TimeSpan.FromSeconds(30));

        using var paused = outcomes.Expect("cmd-pause");
        using var other = outcomes.Expect("cmd-other");
        using var suppressed = outcomes.Expect("cmd-suppress");
        await projections.ApplyDecisionsAsync([Pause("cmd-pause")], CancellationToken.None);
        await projections.ApplySuppressionsAsync([new SuppressionChange
        {
            AccountId = "970000000001", Email = "ana@example.com", Action = SuppressionChange.Added, Reason = SuppressionChange.Manual,
            At = DateTimeOffset.UtcNow, Actor = "ops@example.com", CommandId = "cmd-suppress",
        }], CancellationToken.None);

        Assert.True(await paused.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.True(await suppressed.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.False(await other.WaitAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        await outcomes.StopAsync(CancellationToken.None);
    }

    private static Decision Pause(string commandId)
    {
        var now = DateTimeOffset.UtcNow;
        return new Decision
        {
            Kind = Decision.TransitionKind, Scope = "account", Entity = "970000000001", From = EntityStatus.Healthy, To = EntityStatus.Paused,
            Rule = "operator-pause", Pillar = "response", Sequence = 1, DecisionId = Guid.NewGuid().ToString(), At = now, Actor = "ops@example.com",
            CommandId = commandId, Reason = "test",
            Evidence = new DecisionEvidence
            {
                Window = new EvidenceWindow(now.AddHours(-24), now, 86_400), Counts = [], Rates = [],
                Threshold = new EvidenceThreshold("bounceRate", 0.1, 0, 0),
            },
        };
    }
}
