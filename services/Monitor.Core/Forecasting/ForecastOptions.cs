namespace ReputationMonitor.Core.Forecasting;

/// <summary><c>Reputation:Forecast</c>: how the trend is read and when an expected crossing becomes a finding.</summary>
public sealed class ForecastOptions
{
    /// <summary>A crossing expected (at the stated confidence) within this time raises <c>forecast-review</c> / <c>forecast-pause</c>.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How far ahead crossings are looked for at all (at most the evaluation window: mail sent now leaves it after that).</summary>
    public TimeSpan Lookahead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The trend is read from the hours of the evaluation window this recent (the current hour included).</summary>
    public int TrendHours { get; set; } = 6;

    /// <summary>An hour's weight in the trend halves with each this many hours of age (exponential weighting).</summary>
    public double HalfLifeHours { get; set; } = 2;

    /// <summary>One-sided confidence of the rate interval (Wilson): a finding needs the crossing even at the interval's low end.</summary>
    public double Confidence { get; set; } = 0.9;

    /// <summary>Below this many recipients in the trend hours there is no forecast: a handful of messages is no trend.</summary>
    public long MinTrendVolume { get; set; } = 100;
}
