using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Core.Tests;

/// <summary>What an operator command may be about: an account, or one of its configuration sets or tenants by
/// "account/value"; suppression lists belong to accounts.</summary>
public sealed class CommandRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static OperatorCommand Command(string type, string scope, string entity) => new()
    {
        CommandId = "c-1", Type = type, Scope = scope, Entity = entity, Actor = "ops", Reason = "why", At = Now,
        Outcome = type == OperatorCommand.Resolve ? "healthy" : null, Email = type == OperatorCommand.Suppress ? "a@example.com" : null,
    };

    private static string? Violation(OperatorCommand c) =>
        CommandRules.Violation(c, Now.ToUnixTimeMilliseconds(), 60_000, (long)TimeSpan.FromHours(1).TotalMilliseconds);

    [Theory]
    [InlineData(OperatorCommand.Resolve, "account", "111122223333")]
    [InlineData(OperatorCommand.Resolve, "configuration-set", "111122223333/marketing")]
    [InlineData(OperatorCommand.Pause, "tenant", "111122223333/tenant/with/slashes")]
    public void A_command_about_an_account_or_its_rated_dimension_is_accepted(string type, string scope, string entity)
    {
        var command = Command(type, scope, entity);
        Assert.Null(Violation(command));
        Assert.Equal("111122223333", CommandRules.AccountOf(command));
    }

    [Theory]
    [InlineData(OperatorCommand.Resolve, "domain", "111122223333/example.com", "scope")]
    [InlineData(OperatorCommand.Resolve, "configuration-set", "111122223333", "account/value")]
    [InlineData(OperatorCommand.Resolve, "configuration-set", "/marketing", "account/value")]
    [InlineData(OperatorCommand.Resolve, "configuration-set", "111122223333/", "account/value")]
    [InlineData(OperatorCommand.Resolve, "account", "111122223333/marketing", "entity")]
    [InlineData(OperatorCommand.Suppress, "tenant", "111122223333/t1", "account command")]
    public void Any_other_scope_or_shape_is_refused_saying_why(string type, string scope, string entity, string why)
    {
        Assert.Contains(why, Violation(Command(type, scope, entity)));
    }
}
