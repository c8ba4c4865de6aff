namespace ReputationMonitor.Core.Rules;

/// <summary>The compromised-credentials signal: SES advises pausing at once when credentials leak.</summary>
public sealed class CompromiseOptions
{
    /// <summary>Last-hour volume at least this many times the account's hourly baseline.</summary>
    public double VolumeSpikeFactor { get; set; } = 10;

    /// <summary>Last-hour volume below which no spike is considered.</summary>
    public long MinSpikeVolume { get; set; } = 200;

    /// <summary>History the baseline needs before a spike can be judged.</summary>
    public TimeSpan MinBaselineHistory { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A caller (identity@ip) first seen this recently is new.</summary>
    public TimeSpan NewCallerAge { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Share of the last hour's volume that new callers must carry.</summary>
    public double MinNewCallerShare { get; set; } = 0.5;
}
