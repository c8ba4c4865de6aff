using System.Text.Json;
using System.Text.Json.Serialization;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Aggregation;

/// <summary>
/// <see cref="WindowStats"/> as JSON, the shape its properties give (camelCase; providers with traffic only). One built from a
/// window is written from its counters, without the dictionaries; one read is read through <see cref="WindowStatsJson"/>.
/// </summary>
public sealed class WindowStatsConverter : JsonConverter<WindowStats>
{
    public override WindowStats Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Through the options' resolver (the source-generated context knows WindowStatsJson): naming the context here would
        // make this namespace and the context's depend on each other.
        var json = JsonSerializer.Deserialize<WindowStatsJson>(ref reader, options) ?? throw new JsonException("a window's statistics are null");
        return new WindowStats
        {
            Start = json.Start, End = json.End, DurationSeconds = json.DurationSeconds, Totals = json.Totals ?? [], ByProvider = json.ByProvider ?? [],
            Responses = json.Responses ?? [],
        };
    }

    public override void Write(Utf8JsonWriter writer, WindowStats value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("start", value.Start);
        writer.WriteString("end", value.End);
        writer.WriteNumber("durationSeconds", value.DurationSeconds);
        if (value.Source is { } w) WriteCounts(writer, w);
        else
        {
            WriteMap(writer, "totals", value.Totals);
            writer.WriteStartArray("byProvider");
            foreach (var p in value.ByProvider)
            {
                writer.WriteStartObject();
                writer.WriteString("provider", p.Provider);
                WriteMap(writer, "counts", p.Counts);
                writer.WriteStartObject("rates");
                foreach (var (key, rate) in p.Rates) writer.WriteNumber(key, rate);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            WriteMap(writer, "responses", value.Responses);
        }
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, WindowSnapshot w)
    {
        WriteCounters(writer, "totals", w.Totals);
        writer.WriteStartArray("byProvider");
        for (var p = 0; p < Providers.Count; p++)
        {
            var counts = w.ByProvider[p];
            if (Array.TrueForAll(counts.Values, v => v == 0)) continue;
            writer.WriteStartObject();
            writer.WriteString("provider", Providers.Name(p));
            WriteCounters(writer, "counts", counts);
            writer.WriteStartObject("rates");
            writer.WriteNumber("bounce", counts.Rate(Counters.HardBounces));
            writer.WriteNumber("complaint", counts.Rate(Counters.Complaints));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("responses");
        foreach (var (key, n) in w.Responses) writer.WriteNumber(key, n);
        writer.WriteEndObject();
    }

    private static void WriteCounters(Utf8JsonWriter writer, string name, CounterSet counts)
    {
        writer.WriteStartObject(name);
        for (var i = 0; i < Counters.Count; i++) writer.WriteNumber(Counters.Name(i), counts.Values[i]);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, Dictionary<string, long> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, n) in map) writer.WriteNumber(key, n);
        writer.WriteEndObject();
    }
}

/// <summary>The JSON shape of <see cref="WindowStats"/>, for reading it.</summary>
public sealed class WindowStatsJson
{
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public long DurationSeconds { get; set; }
    public Dictionary<string, long>? Totals { get; set; }
    public List<ProviderCounts>? ByProvider { get; set; }
    public Dictionary<string, long>? Responses { get; set; }
}
