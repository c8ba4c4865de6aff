using System.Text.Json;
using ReputationMonitor.Core;

namespace ReputationMonitor.Engine;

/// <summary>
/// The one table of outputs: each kind of engine output, the topic it goes to and its bytes there (the contracts of
/// DESIGN.md). Both runtimes route by it — the partition processor per record, the Streamiz topology as one branch per row.
/// </summary>
public static class OutputTable
{
    public sealed record Row(string Kind, Func<StreamOutput, bool> Matches, Func<Topics, string> Topic);

    public static IReadOnlyList<Row> Rows { get; } =
    [
        new("decision", o => o.Decision is not null, t => t.Actions),
        new("account-stats", o => o.Snapshot is not null, t => t.AccountStats),
        new("entity-stats", o => o.Entity is not null, t => t.EntityStats),
        new("suppression", o => o.Suppression is not null, t => t.Suppressions),
        new("dead-letter", o => o.DeadLetter is not null, t => t.Dlq),
    ];

    public static string Topic(StreamOutput output, Topics topics)
    {
        foreach (var row in Rows)
            if (row.Matches(output)) return row.Topic(topics);
        throw new ArgumentException("an engine output with no payload", nameof(output));
    }

    public static byte[] Encode(StreamOutput output) =>
        output.Decision is { } d ? JsonSerializer.SerializeToUtf8Bytes(d, CoreJsonContext.Default.Decision)
        : output.Snapshot is { } s ? JsonSerializer.SerializeToUtf8Bytes(s, CoreJsonContext.Default.AccountSnapshot)
        : output.Entity is { } e ? JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.EntitySnapshot)
        : output.Suppression is { } x ? JsonSerializer.SerializeToUtf8Bytes(x, CoreJsonContext.Default.SuppressionChange)
        : output.DeadLetter!;
}
