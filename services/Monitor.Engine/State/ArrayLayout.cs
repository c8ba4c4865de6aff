using MessagePack;

namespace ReputationMonitor.Engine.State;

/// <summary>
/// How the stream's hand-written layouts are framed: nil, or <c>[version, fields...]</c>, where a later layout may add
/// fields at the end (read by this one and skipped).
/// </summary>
internal static class ArrayLayout
{
    /// <returns>False for null (written as nil); otherwise the array header and the layout version are written.</returns>
    public static bool TryBeginWrite<T>(ref MessagePackWriter writer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] T? value, int version,
        int fields) where T : class
    {
        if (value is null)
        {
            writer.WriteNil();
            return false;
        }
        writer.WriteArrayHeader(fields);
        writer.Write(version);
        return true;
    }

    /// <returns>True when an array of this layout follows (its version read); false for nil.</returns>
    public static bool TryBegin(ref MessagePackReader reader, string type, int version, int fields, out int count)
    {
        count = 0;
        if (reader.TryReadNil()) return false;
        count = reader.ReadArrayHeader();
        var found = reader.ReadInt32();
        if (found != version || count < fields)
            throw new MessagePackSerializationException($"{type} layout {found} with {count} fields is not known");
        return true;
    }

    /// <summary>Skips the fields a later layout added after the <paramref name="read"/> this one knows.</summary>
    public static void SkipRest(ref MessagePackReader reader, int read, int count)
    {
        for (var extra = read; extra < count; extra++) reader.Skip();
    }
}
