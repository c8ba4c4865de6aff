using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Rules;

/// <summary>
/// One entity as the rules see it at a tick: who it is, its status, and its windows. Each window is computed the first
/// time a rule reads it and shared by the rules after: the tick runs over every changed entity, so a snapshot per rule
/// would be paid per active account.
/// </summary>
public sealed class EntityView
{
    private readonly WindowedCounters _counters;
    private readonly TimeSpan _recentSpan;
    private readonly Func<string> _status;
    private WindowSnapshot? _evaluated, _all, _lastHour, _recent;
    private (CounterSet Totals, double Hours)? _prior;
    private Model.Forecast? _forecast;
    private bool _forecastRead;

    /// <param name="status">The entity's status when read (a rule earlier in the registry may have changed it); for a dimension
    /// without a status of its own, its account's.</param>
    /// <param name="recentSpan">The slice provider feedback is judged on (<c>Reputation:Findings:FeedbackWindow</c>).</param>
    public EntityView(WindowedCounters counters, TimeSpan recentSpan, string kind, string scope, string entity, EntityWindows windows,
        EntityState? state, Func<string> status, IReadOnlyList<EvidenceSample> samples)
    {
        _counters = counters;
        _recentSpan = recentSpan;
        _status = status;
        Kind = kind;
        Scope = scope;
        Entity = entity;
        Windows = windows;
        State = state;
        Samples = samples;
    }

    /// <summary><c>account</c> or the dimension kind.</summary>
    public string Kind { get; }

    /// <summary>The scope its decisions are published under (a dimension with a status: its status scope).</summary>
    public string Scope { get; }

    /// <summary>The entity as decisions name it (an account id, or <c>account/value</c>).</summary>
    public string Entity { get; }

    public string Status => _status();

    /// <summary>Its counters, and the findings already raised (a finding is raised once per slice).</summary>
    public EntityWindows Windows { get; }

    /// <summary>Its status state, or null for a dimension without a status of its own.</summary>
    public EntityState? State { get; }

    public IReadOnlyList<EvidenceSample> Samples { get; }

    public long FirstSeenMs => Windows.FirstSeenMs;

    /// <summary>The long window since the entity's evaluation start (what its status is judged on).</summary>
    public WindowSnapshot Evaluated => _evaluated ??= State is { EvaluateFromMs: > 0 } s
        ? _counters.Snapshot(Windows, WindowKind.Long, s.EvaluateFromMs)
        : All;

    /// <summary>The whole long window (24 h by default).</summary>
    public WindowSnapshot All => _all ??= _counters.Snapshot(Windows, WindowKind.Long);

    /// <summary>The short window (the last hour by default).</summary>
    public WindowSnapshot LastHour => _lastHour ??= _counters.Snapshot(Windows, WindowKind.Short);

    /// <summary>The recent slice provider feedback is judged on.</summary>
    public WindowSnapshot Recent => _recent ??= _counters.Recent(Windows, _recentSpan);

    /// <summary>The entity's history before the long window, and how many hours it covers.</summary>
    public (CounterSet Totals, double Hours) Prior => _prior ??= _counters.Prior(Windows);

    public double? HourlyBaseline(TimeSpan minHistory) => _counters.HourlyBaseline(Windows, minHistory);

    /// <summary>The window an operator rule names: <c>1h</c> the short window, otherwise the evaluated long window.</summary>
    public WindowSnapshot Window(string name) => name == "1h" ? LastHour : Evaluated;

    /// <summary>Projects the entity's rates forward; null: no forecasts.</summary>
    public Forecasting.RateForecaster? Forecaster { get; init; }

    /// <summary>Where its evaluated rates are heading (null without a forecaster or with too little recent volume); computed once.</summary>
    public Model.Forecast? Forecast
    {
        get
        {
            if (_forecastRead) return _forecast;
            _forecastRead = true;
            return _forecast = Forecaster?.Project(Windows, State?.EvaluateFromMs ?? 0);
        }
    }

    /// <summary>For an account: its callers (identity@ip) with when each was first seen and its last-hour volume.</summary>
    public IEnumerable<(string Caller, long FirstSeenMs, long Sent)> Callers { get; init; } = [];
}
