using ReputationMonitor.Engine;
using ReputationMonitor.Engine.Observability;
using ReputationMonitor.Observability;

namespace ReputationMonitor.OperatorConsole.Support;

/// <summary>
/// The pipeline as the overview shows it, read from this process's own metrics: stream state, consumer lag and the last
/// record processed per input topic, dead letters in all and over the last ten minutes (from samples this class keeps
/// each time it is asked, so growth needs no Prometheus).
/// </summary>
public sealed class PipelineHealth(StreamStatus stream, Topics topics, TimeProvider clock)
{
    public static readonly TimeSpan GrowthWindow = TimeSpan.FromMinutes(10);

    public sealed record TopicHealth(string Topic, long Lag, DateTimeOffset? LastProcessed);

    public sealed record Snapshot(string StreamState, string? LastError, IReadOnlyList<TopicHealth> Inputs, long DeadLetters,
        long DeadLettersRecent, TimeSpan RecentSpan);

    private readonly Queue<(DateTimeOffset At, long Total)> _samples = new();
    private readonly Lock _gate = new();

    public Snapshot Read()
    {
        var inputs = new[] { topics.SendAttempts, topics.Events }.Select(t =>
        {
            var last = EngineMetrics.LastProcessed.WithLabels(t).Value;
            return new TopicHealth(t, (long)MonitorMetrics.ConsumerLag.WithLabels(t).Value,
                last > 0 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(last * 1000)) : null);
        }).ToList();
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var total = (long)EngineMetrics.DeadLetters.GetAllLabelValues().Sum(l => EngineMetrics.DeadLetters.WithLabels(l).Value);
            // Keep the newest sample at least a window old: growth is then over the window, or over the time since the
            // page was last looked at when that is longer (the span says which).
            while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= GrowthWindow) _samples.Dequeue();
            if (_samples.Count == 0 || now - _samples.Last().At >= TimeSpan.FromSeconds(5)) _samples.Enqueue((now, total));
            var (since, then) = _samples.Peek();
            return new Snapshot(stream.State, stream.LastError, inputs, total, total - then, now - since);
        }
    }
}
