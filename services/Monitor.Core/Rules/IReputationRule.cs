namespace ReputationMonitor.Core.Rules;

/// <summary>
/// A rule the engine evaluates at every statistics tick on each entity whose counters moved: the account, or one of its
/// dimensions (configuration set, tenant, domain, pool, IP, caller). One evaluation signature for every rule; the
/// built-in ones are registered in <c>RuleRegistry</c> (the engine project), each with its options section.
/// The SES rate rules are not here: they are the status machine's own (<see cref="StatusMachine"/>), evaluated on every
/// record so that a pause does not wait for the tick.
/// </summary>
public interface IReputationRule
{
    /// <summary>The rule family, as metrics and logs name it.</summary>
    string Name { get; }

    /// <summary>Whether it looks at entities of this kind (<c>account</c> or a dimension kind).</summary>
    bool AppliesTo(string kind);

    /// <summary>Findings to publish, and a status change to request of the entity's status machine, if any.</summary>
    RuleResult Evaluate(EntityView entity);
}

/// <summary>What one rule concluded about one entity.</summary>
public readonly record struct RuleResult(IReadOnlyList<Decision> Findings, StatusRequest? Request = null)
{
    public static RuleResult None { get; } = new([]);

    public static RuleResult Of(List<Decision> findings) => findings.Count == 0 ? None : new(findings);
}

/// <summary>A status change a rule asks for; the status machine decides (it knows the entity's state and the review period).</summary>
public abstract record StatusRequest;

/// <summary>An operator rule with a review or pause action fired over this window.</summary>
public sealed record RuleFired(RuleDefinition Rule, Aggregation.WindowSnapshot Window) : StatusRequest;

/// <summary>The signs of compromised credentials, all at once: pause.</summary>
public sealed record CompromiseSuspected(CompromiseSignal Signal) : StatusRequest;
