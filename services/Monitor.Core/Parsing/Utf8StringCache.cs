using System.IO.Hashing;
using System.Text.Json;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// The strings that repeat from record to record — account ids, sources, domains, IPs, configuration sets, callers,
/// bounce types — read once and shared: a hit is a hash and a compare instead of a transcode and an allocation, and
/// everything that keeps them (events waiting in a ledger, the ledgers' dimensions) holds one copy. Direct-mapped and
/// bounded: a miss takes the slot over. One per thread (the readers run on several stream threads).
/// Unique values (message ids, addresses) do not come here: they would only evict the shared ones.
/// </summary>
internal static class Utf8StringCache
{
    private const int Slots = 4096, MaxBytes = 128;

    private struct Entry
    {
        public byte[]? Utf8;
        public string Value;
    }

    [ThreadStatic] private static Entry[]? _entries;

    /// <summary>The string token the reader is on.</summary>
    public static string Get(ref Utf8JsonReader r)
    {
        if (r.ValueIsEscaped || r.HasValueSequence || r.ValueSpan.Length > MaxBytes) return r.GetString()!;
        var utf8 = r.ValueSpan;
        ref var entry = ref (_entries ??= new Entry[Slots])[(int)(XxHash3.HashToUInt64(utf8) & (Slots - 1))];
        if (entry.Utf8 is { } known && utf8.SequenceEqual(known)) return entry.Value;
        var value = r.GetString()!;
        entry.Utf8 = utf8.ToArray();
        entry.Value = value;
        return value;
    }
}
