using ReputationMonitor.Engine.State;
using ReputationMonitor.Core.Aggregation;

namespace ReputationMonitor.Engine.Processing;

/// <summary>Reviews whose deadline has passed heal or escalate (wall clock), for dimensions and accounts.</summary>
internal sealed class ReviewDeadlines(ReputationEngineSettings settings, PartitionEntities entities,
    ReputationStateStore state, RulesInForce rules, StatusPublisher statuses, OutputBuffer outputs)
{
    public void Run()
    {
        var now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        outputs.ForEachIsolated(statuses.DimensionsUnderReview, key =>
        {
            var dim = entities.Dimension(key);
            var w = entities.Window(key, dim);
            var decision = rules.Machine.OnTick(key.StatusScope!, key.Entity, dim.State!, w, [], now);
            if (decision is null) return;
            state.PutDimension(key, dim);
            statuses.Publish(key, dim, decision);
        }, key => statuses.DimensionsUnderReview.Remove(key));
        outputs.ForEachIsolated(statuses.AccountsUnderReview, id =>
        {
            var account = entities.Account(id);
            var window = entities.Window(account);
            if (rules.Machine.OnTick(StatusPublisher.AccountScope, id, account.State, window, account.Samples, now) is { } decision)
                statuses.Publish(account, window, decision);
        }, id => statuses.AccountsUnderReview.Remove(id));
    }
}
