using System.ComponentModel.DataAnnotations;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Forecasting;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Engine;

public sealed class ReputationOptions : IValidatableObject
{
    public const string Section = "Reputation";

    public WindowOptions Window { get; set; } = new();
    public JoinOptions Join { get; set; } = new();
    public RateThresholds Thresholds { get; set; } = new();
    public FindingThresholds Findings { get; set; } = new();
    public CompromiseOptions Compromise { get; set; } = new();
    public PreventionOptions Prevention { get; set; } = new();
    public MonitoringOptions Monitoring { get; set; } = new();
    public ForecastOptions Forecast { get; set; } = new();
    public WarmupOptions Warmup { get; set; } = new();
    public EvaluationOptions Evaluation { get; set; } = new();

    /// <summary>The daily history the windows keep: as far back as a representative-volume scope may reach.</summary>
    public TimeSpan HistoryKept => Evaluation.HistoryKept(RuleDefinition.StatusScopes);
    public BulkSenderOptions BulkSenders { get; set; } = new();

    /// <summary>Operator-defined rules, beside the built-in SES ones (<see cref="RuleDefinition"/>).</summary>
    public List<RuleDefinition> Rules { get; set; } = [];

    /// <summary>How often changed account statistics are published for the API (wall clock).</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two publications of one entity's statistics: an account or dimension that changes sooner is
    /// published when its interval ends (a status change is published at once). Keeps the statistics a tick publishes bounded
    /// when many entities change every second; its rules are still evaluated at every tick.
    /// </summary>
    public TimeSpan EntitySnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeOptions Time { get; set; } = new();

    /// <summary>Review period before an account under review heals or escalates.</summary>
    public TimeSpan ReviewPeriod { get; set; } = TimeSpan.FromHours(72);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var t = Thresholds;
        foreach (var (name, value) in new[]
                 {
                     ("Reputation:Thresholds:BounceReview", t.BounceReview), ("Reputation:Thresholds:BouncePause", t.BouncePause),
                     ("Reputation:Thresholds:ComplaintReview", t.ComplaintReview), ("Reputation:Thresholds:ComplaintPause", t.ComplaintPause),
                 })
            if (value is <= 0 or > 1)
                yield return new ValidationResult($"{name} must be a fraction in (0, 1], got {value}", [name]);
        if (t.BounceReview > t.BouncePause)
            yield return new ValidationResult("Reputation:Thresholds:BounceReview must not exceed BouncePause", ["Reputation:Thresholds:BounceReview"]);
        if (t.ComplaintReview > t.ComplaintPause)
            yield return new ValidationResult("Reputation:Thresholds:ComplaintReview must not exceed ComplaintPause", ["Reputation:Thresholds:ComplaintReview"]);
        if (t.BounceMinVolume < 0 || t.ComplaintMinVolume < 0)
            yield return new ValidationResult("Reputation:Thresholds minimum volumes must be >= 0", ["Reputation:Thresholds:BounceMinVolume"]);
        if (Window.BucketSize <= TimeSpan.Zero || Window.Window < Window.BucketSize)
            yield return new ValidationResult("Reputation:Window:Window must be >= Reputation:Window:BucketSize > 0", ["Reputation:Window:Window"]);
        if (Window.Window.Ticks % Window.BucketSize.Ticks != 0)
            yield return new ValidationResult("Reputation:Window:Window must be a multiple of Reputation:Window:BucketSize", ["Reputation:Window:Window"]);
        if (Join.Grace <= TimeSpan.Zero)
            yield return new ValidationResult("Reputation:Join:Grace must be positive", ["Reputation:Join:Grace"]);
        if (Join.Retention < Window.Window)
            yield return new ValidationResult("Reputation:Join:Retention must be at least the evaluation window", ["Reputation:Join:Retention"]);
        if (Join.MaxPendingMessages < 1)
            yield return new ValidationResult("Reputation:Join:MaxPendingMessages must be >= 1", ["Reputation:Join:MaxPendingMessages"]);
        if (Findings.FeedbackWindow <= TimeSpan.Zero || Findings.FeedbackWindow > Window.ShortWindow)
            yield return new ValidationResult("Reputation:Findings:FeedbackWindow must be positive and at most Reputation:Window:ShortWindow",
                ["Reputation:Findings:FeedbackWindow"]);
        if (Findings.ThrottleShare is <= 0 or > 1)
            yield return new ValidationResult("Reputation:Findings:ThrottleShare must be a fraction in (0, 1]", ["Reputation:Findings:ThrottleShare"]);
        if (Compromise.VolumeSpikeFactor <= 1)
            yield return new ValidationResult("Reputation:Compromise:VolumeSpikeFactor must be greater than 1", ["Reputation:Compromise:VolumeSpikeFactor"]);
        if (Compromise.MinNewCallerShare is <= 0 or > 1)
            yield return new ValidationResult("Reputation:Compromise:MinNewCallerShare must be a fraction in (0, 1]", ["Reputation:Compromise:MinNewCallerShare"]);
        foreach (var rule in Rules)
        {
            var errors = new List<ValidationResult>();
            Validator.TryValidateObject(rule, new ValidationContext(rule), errors, validateAllProperties: true);
            foreach (var e in errors) yield return new ValidationResult($"Reputation:Rules ({rule.Id}): {e.ErrorMessage}", e.MemberNames);
        }
        foreach (var dup in Rules.GroupBy(r => r.Id).Where(g => g.Count() > 1))
            yield return new ValidationResult($"Reputation:Rules: id '{dup.Key}' is used twice", ["Reputation:Rules"]);
        if (Forecast.Horizon <= TimeSpan.Zero || Forecast.Horizon > Forecast.Lookahead)
            yield return new ValidationResult("Reputation:Forecast:Horizon must be positive and at most Reputation:Forecast:Lookahead",
                ["Reputation:Forecast:Horizon"]);
        if (Forecast.Lookahead > Window.Window)
            yield return new ValidationResult("Reputation:Forecast:Lookahead must be at most Reputation:Window:Window (mail sent now leaves the window after it)",
                ["Reputation:Forecast:Lookahead"]);
        if (Forecast.TrendHours < 1 || Forecast.TrendHours > Window.Window.TotalHours)
            yield return new ValidationResult("Reputation:Forecast:TrendHours must be between 1 and the hours of Reputation:Window:Window",
                ["Reputation:Forecast:TrendHours"]);
        if (Forecast.HalfLifeHours <= 0)
            yield return new ValidationResult("Reputation:Forecast:HalfLifeHours must be positive", ["Reputation:Forecast:HalfLifeHours"]);
        if (Forecast.Confidence is <= 0.5 or >= 1)
            yield return new ValidationResult("Reputation:Forecast:Confidence must be a fraction in (0.5, 1)", ["Reputation:Forecast:Confidence"]);
        if (Forecast.MinTrendVolume < 1)
            yield return new ValidationResult("Reputation:Forecast:MinTrendVolume must be >= 1", ["Reputation:Forecast:MinTrendVolume"]);
        foreach (var (pool, schedule) in Warmup.Pools.Select(p => ($"Pools:{p.Key}", p.Value)).Prepend(("Schedule", Warmup.Schedule)))
        foreach (var (provider, days) in schedule)
            if (days.Any(d => d < 0) || days.Zip(days.Skip(1)).Any(d => d.Second < d.First))
                yield return new ValidationResult($"Reputation:Warmup:{pool}:{provider} must be recipients per day that never go down, got [{string.Join(", ", days)}]",
                    [$"Reputation:Warmup:{pool}:{provider}"]);
        foreach (var (name, value) in new[] { ("BounceRate", Warmup.BounceRate), ("ThrottleRate", Warmup.ThrottleRate), ("NearShare", Warmup.NearShare) })
            if (value is <= 0 or > 1)
                yield return new ValidationResult($"Reputation:Warmup:{name} must be a fraction in (0, 1], got {value}", [$"Reputation:Warmup:{name}"]);
        foreach (var scope in Evaluation.Scopes.Keys.Where(s => !RuleDefinition.StatusScopes.Contains(s)))
            yield return new ValidationResult($"Reputation:Evaluation:Scopes:{scope}: not a status scope (one of {string.Join(", ", RuleDefinition.StatusScopes)})",
                [$"Reputation:Evaluation:Scopes:{scope}"]);
        foreach (var (key, e) in Evaluation.Scopes.Select(s => ($"Reputation:Evaluation:Scopes:{s.Key}", Evaluation.For(s.Key)))
                     .Prepend(("Reputation:Evaluation", Evaluation.For(""))))
        {
            if (e.Mode is not (EvaluationOptions.Window or EvaluationOptions.RepresentativeVolume))
                yield return new ValidationResult($"{key}:Mode must be {EvaluationOptions.Window} or {EvaluationOptions.RepresentativeVolume}, got '{e.Mode}'", [$"{key}:Mode"]);
            // Below both rules' minimum volumes no rate rule could ever act on it.
            if (e.IsRepresentative && e.Volume < Math.Max(1, Math.Min(t.BounceMinVolume, t.ComplaintMinVolume)))
                yield return new ValidationResult($"{key}:Volume must be at least the smaller of the rules' minimum volumes " +
                    $"({Math.Min(t.BounceMinVolume, t.ComplaintMinVolume)}), got {e.Volume}", [$"{key}:Volume"]);
            if (e.IsRepresentative && (e.MaxAge < Window.Window || e.MaxAge > TimeSpan.FromDays(731)))
                yield return new ValidationResult($"{key}:MaxAge must be between Reputation:Window:Window and 731 days, got {e.MaxAge}", [$"{key}:MaxAge"]);
        }
        if (Time.MaxFutureSkew < TimeSpan.Zero || Time.MaxFutureSkew > TimeSpan.FromDays(1))
            yield return new ValidationResult("Reputation:Time:MaxFutureSkew must be between 00:00:00 and 1.00:00:00", ["Reputation:Time:MaxFutureSkew"]);
        if (Time.MaxCommandAge < TimeSpan.FromMinutes(1) || Time.MaxCommandAge > TimeSpan.FromDays(30))
            yield return new ValidationResult("Reputation:Time:MaxCommandAge must be between 00:01:00 and 30.00:00:00", ["Reputation:Time:MaxCommandAge"]);
        if (ReviewPeriod <= TimeSpan.Zero)
            yield return new ValidationResult("Reputation:ReviewPeriod must be positive", ["Reputation:ReviewPeriod"]);
        if (SnapshotInterval < TimeSpan.FromMilliseconds(10))
            yield return new ValidationResult("Reputation:SnapshotInterval must be >= 10 ms", ["Reputation:SnapshotInterval"]);
        if (EntitySnapshotInterval < TimeSpan.Zero || EntitySnapshotInterval > TimeSpan.FromHours(1))
            yield return new ValidationResult("Reputation:EntitySnapshotInterval must be between 0 and 1 hour", ["Reputation:EntitySnapshotInterval"]);
    }
}

public sealed class TimeOptions
{
    /// <summary>How far ahead of the wall clock a record may be dated; later ones go to the DLQ (<c>timestamp_in_future</c>).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = Core.Parsing.EventTime.DefaultMaxFutureSkew;

    /// <summary>An operator command older than this when the stream reads it is refused (<c>invalid_command</c>): a replayed one.</summary>
    public TimeSpan MaxCommandAge { get; set; } = TimeSpan.FromDays(7);
}
