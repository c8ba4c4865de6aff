using Microsoft.Extensions.Logging;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Engine.Observability;

namespace ReputationMonitor.Engine.Processing;

/// <summary>
/// What the engine's current call produced, returned to the host (which routes it by <see cref="OutputTable"/> before the
/// engine's next call); and the record that caused it, for the decision latency and the log scope.
/// </summary>
internal sealed class OutputBuffer(ReputationEngineSettings settings)
{
    private readonly List<EngineOutput> _outputs = [];

    public IReadOnlyList<EngineOutput> Outputs => _outputs;

    /// <summary>The message and event time of the record being processed (null for timers and operators).</summary>
    public string? CauseMessageId { get; private set; }
    public long? CauseEventMs { get; private set; }

    public void Begin(string? causeMessageId = null, long? causeEventMs = null)
    {
        _outputs.Clear();
        (CauseMessageId, CauseEventMs) = (causeMessageId, causeEventMs);
    }

    public void End() => (CauseMessageId, CauseEventMs) = (null, null);

    public void Emit(string key, StreamOutput output) => _outputs.Add(new(key, output));

    /// <param name="reason"><c>code: detail</c></param>
    public void Reject(string key, byte[] value, string reason) =>
        _outputs.Add(new(key, new StreamOutput { DeadLetter = value, DeadLetterReason = reason }));

    /// <summary>A record or entity the engine failed on: to the DLQ with the exception, counted and logged.</summary>
    public void Isolate(Exception ex, string key, byte[] value, string what)
    {
        EngineMetrics.DeadLetters.WithLabels(DlqReasons.ProcessingError, settings.Topics.RepartitionTopic).Inc();
        settings.Logger.LogError(ex, "Could not process {What}; sent to the DLQ", what);
        Reject(key, value, $"{DlqReasons.ProcessingError}: {ex.GetType().Name}: {ex.Message}");
    }

    /// <summary>
    /// One entity's share of a periodic step: if it fails, that entity is sent to the DLQ (key, reason) and dropped from the
    /// step's work list, so a bad entity neither stops the others nor fails again on every tick.
    /// </summary>
    public void ForEachIsolated<TKey>(IEnumerable<TKey> keys, Action<TKey> work, Action<TKey> drop) where TKey : notnull
    {
        foreach (var key in keys.ToList())
        {
            try
            {
                work(key);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                drop(key);
                var text = key.ToString()!;
                Isolate(ex, text, System.Text.Encoding.UTF8.GetBytes(text), $"the periodic work of {text}");
            }
        }
    }
}
