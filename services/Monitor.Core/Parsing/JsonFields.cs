using System.Text.Json;

namespace ReputationMonitor.Core.Parsing;

/// <summary>Typed field access that names the field at fault when a producer sends the wrong shape.</summary>
internal static class JsonFields
{
    public static JsonElement? Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path} must be an object, not {v.ValueKind}");
        return v;
    }

    public static string? String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            _ => throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path} must be a string, not {v.ValueKind}"),
        };
    }

    public static string RequiredString(JsonElement parent, string name, string path)
    {
        var s = String(parent, name, path);
        if (string.IsNullOrWhiteSpace(s)) throw new RecordRejectedException(DlqReasons.MissingField, $"{path} is required");
        return s;
    }

    public static long? Timestamp(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path} must be an ISO-8601 string, not {v.ValueKind}");
        if (!v.TryGetDateTimeOffset(out var ts))
            throw new RecordRejectedException(DlqReasons.InvalidValue, $"{path} is not an ISO-8601 timestamp");
        return ts.ToUnixTimeMilliseconds();
    }

    public static string[] StringArray(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array)
            throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path} must be an array of strings, not {v.ValueKind}");
        var result = new string[v.GetArrayLength()];
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new RecordRejectedException(DlqReasons.WrongFieldType, $"{path}[{i}] must be a string, not {item.ValueKind}");
            result[i++] = item.GetString()!;
        }
        return result;
    }

    /// <summary>SES tags are <c>name → [values]</c>; the first value is the one that matters.</summary>
    public static string? Tag(JsonElement? tags, string name)
    {
        if (tags is not { } t || !t.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.Array when v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.String => v[0].GetString(),
            JsonValueKind.String => v.GetString(),
            _ => null,
        };
    }
}
