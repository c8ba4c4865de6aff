using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Classification;
using ReputationMonitor.Core.Join;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine;

/// <summary>What the topology needs, resolved once; shared by every stream task.</summary>
public sealed class ReputationEngineSettings
{
    public required Topics Topics { get; init; }
    public int MaxRecordBytes { get; init; } = Core.Parsing.RecordLimits.DefaultMaxRecordBytes;
    public WindowOptions Window { get; init; } = new();
    /// <summary>Daily history kept beyond the long window for representative-volume rates (<see cref="EvaluationOptions.HistoryKept"/>);
    /// structural like the windows, fixed at start.</summary>
    public TimeSpan History { get; init; }
    public JoinOptions Join { get; init; } = new();
    /// <summary>The rules in force (reloadable); windows and join settings are structural and fixed at start.</summary>
    public RuleBook Rules { get; init; } = new(RuleSet.Defaults);
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The shortest time between two publications of one entity's statistics (<c>Reputation:EntitySnapshotInterval</c>).</summary>
    public TimeSpan EntitySnapshotInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>
    /// Processing time: what the runtimes' ticks follow, and so what the publication interval is measured in. Apart from
    /// <see cref="Clock"/> (the domain's time, which deadlines follow and which tests and backtests move by hand): a clock
    /// held still must not hold an entity's statistics back.
    /// </summary>
    public TimeProvider ProcessingClock { get; init; } = TimeProvider.System;
    /// <summary>How far ahead of the wall clock an event or command may be dated (<c>Reputation:Time:MaxFutureSkew</c>).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = Core.Parsing.EventTime.DefaultMaxFutureSkew;
    internal long MaxFutureSkewMs => (long)MaxFutureSkew.TotalMilliseconds;
    /// <summary>How old a command may be when the stream reads it (<c>Reputation:Time:MaxCommandAge</c>).</summary>
    public TimeSpan MaxCommandAge { get; init; } = TimeSpan.FromDays(7);
    /// <summary>Verifies the API's signature on operator commands; null accepts none (every command is refused).</summary>
    public CommandSignature? CommandSignature { get; init; }
    public ProviderDirectory Providers { get; init; } = ProviderDirectory.Default;
    public SmtpResponseClassifier Classifier { get; init; } = SmtpResponseClassifier.Default;
    /// <summary>Records this instance's tasks have processed (with several instances, each counts its own partitions).</summary>
    public long RecordsProcessed => Interlocked.Read(ref _recordsProcessed);
    private long _recordsProcessed;
    internal void CountRecord() => Interlocked.Increment(ref _recordsProcessed);

    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
