using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Forecasting;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine.Processing;

/// <summary>The rules of the engine's <see cref="RuleBook"/> as objects: rebuilt when the book's version changes.</summary>
internal sealed class RulesInForce(ReputationEngineSettings settings)
{
    private int _version = -1;

    public RuleSet Settings { get; private set; } = null!;
    public StatusMachine Machine { get; private set; } = null!;
    public IReadOnlyList<IReputationRule> Registry { get; private set; } = null!;
    public RateForecaster Forecaster { get; private set; } = null!;
    private Dictionary<string, Evaluation> _evaluations = [];

    /// <summary>How a status scope's rates are measured (<c>Reputation:Evaluation</c>).</summary>
    public Evaluation Evaluation(string scope)
    {
        if (_evaluations.TryGetValue(scope, out var e)) return e;
        return _evaluations[scope] = Settings.Options.Evaluation.For(scope);
    }

    /// <summary>Picks up reloaded rules (a version check per record: a field read).</summary>
    public void Refresh()
    {
        var rules = settings.Rules.Current;
        if (rules.Version == _version) return;
        Settings = rules;
        _version = rules.Version;
        Machine = new StatusMachine(new RateRules(rules.Thresholds), rules.ReviewPeriod);
        Registry = RuleRegistry.Build(rules, settings.Classifier);
        Forecaster = new RateForecaster(rules.Forecast, rules.Thresholds, settings.Window);
        _evaluations = [];
    }
}
