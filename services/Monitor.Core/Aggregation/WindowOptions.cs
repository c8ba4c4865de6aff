namespace ReputationMonitor.Core.Aggregation;

public sealed class WindowOptions
{
    /// <summary>The evaluation window of the rate rules (event time).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Granularity of the window's buckets: the window slides by this step.</summary>
    public TimeSpan BucketSize { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Samples kept per account as evidence.</summary>
    public int MaxSamples { get; set; } = 10;
}
