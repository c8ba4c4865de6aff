using System.Text.Json;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// Field reads for the one-pass readers (<see cref="SesEventFastReader"/>, <see cref="SendAttemptFastReader"/>), called with
/// the reader on a property name. Each returns false when the value is not the shape the reference
/// (<see cref="JsonFields"/>) accepts; the caller then gives the record to the reference reader, which names the fault.
/// A JSON <c>null</c> reads as absent, as it does there.
/// </summary>
internal static class Utf8Fields
{
    public static bool String(ref Utf8JsonReader r, out string? value) => String(ref r, out value, shared: false);

    /// <summary>A string that repeats across records (an account, a domain, an IP): one shared instance (<see cref="Utf8StringCache"/>).</summary>
    public static bool SharedString(ref Utf8JsonReader r, out string? value) => String(ref r, out value, shared: true);

    private static bool String(ref Utf8JsonReader r, out string? value, bool shared)
    {
        value = null;
        if (!r.Read()) return false;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.String) return false;
        value = shared ? Utf8StringCache.Get(ref r) : r.GetString();
        return true;
    }

    public static bool Timestamp(ref Utf8JsonReader r, out long? value)
    {
        value = null;
        if (!r.Read()) return false;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.String || !r.TryGetDateTimeOffset(out var ts)) return false;
        value = ts.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>An array of strings; absent or null reads as empty.</summary>
    public static bool StringArray(ref Utf8JsonReader r, out string[] value)
    {
        value = [];
        if (!r.Read()) return false;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartArray) return false;
        List<string>? many = null;
        string? first = null;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.String) return false;
            var s = r.GetString()!;
            if (first is null) first = s;
            else (many ??= [first]).Add(s);
        }
        value = many is not null ? [.. many] : first is not null ? [first] : [];
        return true;
    }

    /// <summary>An SES tag: the first value of its array (or the value itself); anything else reads as absent.</summary>
    public static string? Tag(ref Utf8JsonReader r)
    {
        r.Read();
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                return Utf8StringCache.Get(ref r);
            case JsonTokenType.StartArray:
                string? value = null;
                var first = true;
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    if (first && r.TokenType == JsonTokenType.String) value = Utf8StringCache.Get(ref r);
                    if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
                    first = false;
                }
                return value;
            default:
                if (r.TokenType == JsonTokenType.StartObject) r.Skip();
                return null;
        }
    }

    /// <summary>Moves onto an object value: true with <paramref name="present"/> false for null.</summary>
    public static bool Object(ref Utf8JsonReader r, out bool present)
    {
        present = false;
        if (!r.Read()) return false;
        if (r.TokenType == JsonTokenType.Null) return true;
        present = r.TokenType == JsonTokenType.StartObject;
        return present;
    }

    /// <summary>The next property of the current object: false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader r) => r.Read() && r.TokenType == JsonTokenType.PropertyName;

    public static void SkipValue(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
    }

    /// <summary>After the root value: only whitespace may follow (as <see cref="JsonDocument"/> requires).</summary>
    public static bool AtEnd(ref Utf8JsonReader r) => !r.Read();
}
