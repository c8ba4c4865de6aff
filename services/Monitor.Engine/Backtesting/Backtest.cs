using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Engine.Backtesting;

/// <summary>
/// What a candidate rule set would have decided over an archive, against the rules in force: both replayed side by side
/// in process (each record parsed once, fed to both engines), no Kafka. Feed the archive's events in its order, then
/// <see cref="Finish"/>.
/// </summary>
public sealed class Backtest(ReputationOptions inForce, ReputationOptions candidate, DateTimeOffset? from = null, DateTimeOffset? to = null)
{
    private readonly BacktestRun _inForce = new(inForce), _candidate = new(candidate);
    private readonly long _fromMs = from?.ToUnixTimeMilliseconds() ?? long.MinValue, _toMs = to?.ToUnixTimeMilliseconds() ?? long.MaxValue;
    private long _fed, _outside, _firstMs = long.MaxValue, _lastMs = long.MinValue;

    /// <returns>False when the event is outside [from, to] and was not replayed.</returns>
    public bool Feed(NormalizedEvent e)
    {
        if (e.TimestampMs < _fromMs || e.TimestampMs > _toMs)
        {
            _outside++;
            return false;
        }
        _fed++;
        _firstMs = Math.Min(_firstMs, e.TimestampMs);
        _lastMs = Math.Max(_lastMs, e.TimestampMs);
        _inForce.Feed(e);
        _candidate.Feed(e);
        return true;
    }

    public long Fed => _fed;

    public BacktestResult Finish(long refused = 0, IReadOnlyDictionary<string, long>? refusedByReason = null)
    {
        _inForce.Finish(inForce.Join.Grace);
        _candidate.Finish(candidate.Join.Grace);
        var archive = new ArchiveSummary(_fed, _outside, refused, refusedByReason ?? new Dictionary<string, long>(),
            _fed == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_firstMs), _fed == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_lastMs));
        return DecisionDiff.Compare(archive, _inForce.Decisions, _candidate.Decisions);
    }
}
