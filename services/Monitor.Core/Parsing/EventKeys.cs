using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// A stable identity per event, so that the same record delivered twice is recognised:
/// SES feedback ids where SES gives one, otherwise a hash of what makes the event distinct.
/// </summary>
public static class EventKeys
{
    // The hashed text is written as UTF-8 straight into a reused buffer: a StringBuilder, its string and its bytes would
    // be allocated for every delivery. The bytes are the text's own UTF-8, so the keys do not depend on how it is built.
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    // Indexed by the kind's value (Enum.ToString would be a look-up per event); built from the values, so a kind given an
    // explicit number later still names itself.
    private static readonly string[] KindNames = BuildKindNames();

    private static string[] BuildKindNames()
    {
        var kinds = Enum.GetValues<EventKind>();
        var names = new string[kinds.Max(k => (int)k) + 1];
        foreach (var kind in kinds) names[(int)kind] = kind.ToString();
        return names;
    }

    public static string For(NormalizedEvent e, string? feedbackId)
    {
        var kind = KindNames[(int)e.Kind];
        if (!string.IsNullOrEmpty(feedbackId)) return $"{kind}:{feedbackId}";
        if (e.Kind == EventKind.Attempt && !string.IsNullOrEmpty(e.AttemptId)) return $"{kind}:{e.AttemptId}";
        var b = _buffer ??= new ArrayBufferWriter<byte>(512);
        b.ResetWrittenCount();
        Append(b, kind, '|');
        Append(b, e.MessageId, '|');
        Append(b, e.AccountId, '|');
        e.TimestampMs.TryFormat(b.GetSpan(20), out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        b.Advance(digits);
        foreach (var r in e.Recipients) Append(b, "|", r.Email);
        if (e.Kind == EventKind.Attempt) foreach (var d in e.Destinations) Append(b, "|", d);
        Append(b, "|", e.ErrorCode);
        Append(b, "|", e.Detail);
        return Hashed(kind, XxHash64.HashToUInt64(b.WrittenSpan));
    }

    /// <summary>"Kind:" and the hash in 16 lower-case hex digits, written into the string as it is made (the
    /// interpolated "x16" takes the number formatter's slow path).</summary>
    private static string Hashed(string kind, ulong hash) =>
        string.Create(kind.Length + 17, (kind, hash), static (chars, state) =>
        {
            state.kind.CopyTo(chars);
            chars[state.kind.Length] = ':';
            Span<byte> bytes = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, state.hash);
            Convert.TryToHexStringLower(bytes, chars[(state.kind.Length + 1)..], out _);
        });

    private static void Append(ArrayBufferWriter<byte> b, string? text, char then)
    {
        Append(b, text);
        b.GetSpan(1)[0] = (byte)then;
        b.Advance(1);
    }

    private static void Append(ArrayBufferWriter<byte> b, string separator, string? text)
    {
        Append(b, separator);
        Append(b, text);
    }

    private static void Append(ArrayBufferWriter<byte> b, string? text)
    {
        if (!string.IsNullOrEmpty(text)) Encoding.UTF8.GetBytes(text.AsSpan(), b);
    }
}
