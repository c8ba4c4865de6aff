using System.Text.Json;
using ReputationMonitor.Core;

namespace ReputationMonitor.Engine;

/// <summary>Which topic each kind of engine output goes to, and its bytes there (the contracts of DESIGN.md).</summary>
public static class StreamOutputs
{
    public static string Topic(StreamOutput output, Topics topics) =>
        output.Decision is not null ? topics.Actions
        : output.Snapshot is not null ? topics.AccountStats
        : output.Entity is not null ? topics.EntityStats
        : output.Suppression is not null ? topics.Suppressions
        : topics.Dlq;

    public static byte[] Encode(StreamOutput output) =>
        output.Decision is { } d ? JsonSerializer.SerializeToUtf8Bytes(d, CoreJsonContext.Default.Decision)
        : output.Snapshot is { } s ? JsonSerializer.SerializeToUtf8Bytes(s, CoreJsonContext.Default.AccountSnapshot)
        : output.Entity is { } e ? JsonSerializer.SerializeToUtf8Bytes(e, CoreJsonContext.Default.EntitySnapshot)
        : output.Suppression is { } x ? JsonSerializer.SerializeToUtf8Bytes(x, CoreJsonContext.Default.SuppressionChange)
        : output.DeadLetter!;
}
