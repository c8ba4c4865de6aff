using Microsoft.Extensions.Logging.Abstractions;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Engine.Processing;
using ReputationMonitor.Engine.State;

namespace ReputationMonitor.Engine.Backtesting;

/// <summary>
/// One rule set replayed: the service's engine over in-memory entries, on a clock that follows the archive's event time,
/// ticking every <see cref="TickEveryMs"/> of it as the service ticks every snapshot interval of wall time. Keeps the decisions
/// (transitions and findings) it makes; statistics and suppression changes are made and dropped, as nobody reads them here.
/// </summary>
internal sealed class BacktestRun
{
    /// <summary>Event time between two ticks: findings are judged on slices of 15 minutes and more, so a minute loses nothing.</summary>
    public const long TickEveryMs = 60_000;

    /// <summary>Entries written since the last drain are forgotten every so many records (nobody reads a changelog here).</summary>
    private const int DrainEvery = 50_000;

    private readonly SimulatedClock _clock = new();
    private readonly ChangeloggedEntries _entries = new();
    private readonly ReputationEngine _engine;
    private long _lastTickMs;
    private int _sinceDrain;

    public BacktestRun(ReputationOptions options)
    {
        _engine = new ReputationEngine(new ReputationEngineSettings
        {
            Topics = new Topics(new TopicNames(), "backtest"),
            Window = options.Window,
            History = options.HistoryKept,
            Join = options.Join,
            Rules = new RuleBook(RuleSet.From(options)),
            Clock = _clock,
            MaxFutureSkew = TimeSpan.FromDays(3650), // the clock is the archive's: nothing in it is "in the future"
            MaxCommandAge = options.Time.MaxCommandAge,
            Logger = NullLogger.Instance,
        }, _entries, ledgersWriteThrough: true);
    }

    public List<Decision> Decisions { get; } = [];

    public void Feed(NormalizedEvent e)
    {
        if (_lastTickMs == 0) _lastTickMs = e.TimestampMs;
        _clock.AdvanceTo(e.TimestampMs);
        Keep(_engine.Process(new StreamInput { Event = e }));
        if (_clock.NowMs - _lastTickMs >= TickEveryMs) Tick();
        if (++_sinceDrain < DrainEvery) return;
        _sinceDrain = 0;
        _engine.FlushState();
        _entries.DrainChanges(static (_, _) => { });
    }

    /// <summary>The end of the archive: the join grace runs out (events still waiting for their attempt are counted on their
    /// own), and a last tick. Review deadlines after the archive's end are not reached: what the archive does not cover is not judged.</summary>
    public void Finish(TimeSpan joinGrace)
    {
        Tick();
        _clock.AdvanceTo(_clock.NowMs + (long)joinGrace.TotalMilliseconds + 1);
        Tick();
        _engine.Close();
    }

    private void Tick()
    {
        _lastTickMs = _clock.NowMs;
        do Keep(_engine.Tick());
        while (_engine.TickInProgress);
    }

    private void Keep(IReadOnlyList<EngineOutput> outputs)
    {
        foreach (var (_, output) in outputs)
            if (output.Decision is { } d) Decisions.Add(d);
    }
}
