namespace ReputationMonitor.Core.Model;

/// <summary>
/// Where an entity's evaluation-window rates are heading at the current trend: for each metric, the trend rate with its
/// interval and the expected crossing of the review and pause thresholds (null: not at the current trend, within the
/// lookahead).
/// </summary>
public sealed record Forecast(ForecastBasis Basis, MetricForecast Bounce, MetricForecast Complaint)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<MetricForecast> Metrics => [Bounce, Complaint];
}

/// <param name="TrendHours">Hours the trend was read from.</param>
/// <param name="Recipients">Recipients sent in those hours.</param>
/// <param name="PerHour">Recipients per hour at the trend (exponentially weighted), assumed to continue.</param>
/// <param name="Confidence">One-sided confidence of the intervals.</param>
/// <param name="AsOf">Event time the forecast starts from (the entity's stream time).</param>
public sealed record ForecastBasis(int TrendHours, long Recipients, double PerHour, double Confidence, DateTimeOffset AsOf);

/// <param name="Metric"><c>bounce</c> or <c>complaint</c>.</param>
/// <param name="Rate">The rate over the evaluation window now.</param>
/// <param name="Trend">The exponentially weighted rate of the recent hours.</param>
/// <param name="Low">Low end of the trend's interval (Wilson, at the basis' confidence).</param>
/// <param name="High">High end of the trend's interval.</param>
/// <param name="Review">When the window's rate reaches the review threshold (with its minimum volume), or null.</param>
/// <param name="Pause">When it reaches the pause threshold, or null.</param>
public sealed record MetricForecast(string Metric, double Rate, double Trend, double Low, double High, Crossing? Review, Crossing? Pause);

/// <param name="Threshold">The threshold crossed.</param>
/// <param name="ExpectedAt">At the trend rate.</param>
/// <param name="ConfidentAt">At the interval's low end: with the stated confidence it is crossed by then; null when the low end
/// does not cross within the lookahead.</param>
/// <param name="ExpectedInHours">Hours from the basis' <c>asOf</c> to <paramref name="ExpectedAt"/>.</param>
public sealed record Crossing(double Threshold, DateTimeOffset ExpectedAt, double ExpectedInHours, DateTimeOffset? ConfidentAt, double? ConfidentInHours);
