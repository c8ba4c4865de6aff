using System.Text.Json;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// What every input parser does before and around reading a record: size and UTF-8 checks, one JSON
/// parse, and turning every kind of bad input into a <see cref="ParseResult"/> with its reason.
/// </summary>
internal delegate NormalizedEvent? FastReader(ReadOnlySpan<byte> utf8);

internal static class RecordGuard
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static JsonDocumentOptions Options => DocumentOptions;

    /// <param name="fast">The one-pass reader: the event, or null to leave the record to <paramref name="read"/>.</param>
    /// <param name="read">The reference reader: the event, or a <see cref="RecordRejectedException"/> naming the fault.</param>
    public static ParseResult Parse(ReadOnlySpan<byte> utf8, int maxRecordBytes, FastReader fast, Func<JsonElement, NormalizedEvent> read)
    {
        if (utf8.IsEmpty) return ParseResult.Fail(DlqReasons.Empty, "record has no value");
        if (utf8.Length > maxRecordBytes)
            return ParseResult.Fail(DlqReasons.Oversize, $"record is {utf8.Length} bytes; the limit is {maxRecordBytes}");
        // JsonDocument only validates UTF-8 in what is read; check all of it (vectorised, ~GB/s).
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            return ParseResult.Fail(DlqReasons.InvalidUtf8, "record is not valid UTF-8");
        if (fast(utf8) is { } e) return ParseResult.Ok(e);
        return ParseReference(utf8, read);
    }

    /// <summary>The JsonDocument reader alone (what a record the one-pass reader declines gets; and the tests' reference).</summary>
    public static ParseResult ParseReference(ReadOnlySpan<byte> utf8, Func<JsonElement, NormalizedEvent> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
            return ParseResult.Ok(read(doc.RootElement));
        }
        catch (RecordRejectedException e)
        {
            return ParseResult.Fail(e.Code, e.Message);
        }
        catch (JsonException e)
        {
            return ParseResult.Fail(DlqReasons.InvalidJson, e.Message);
        }
        catch (InvalidOperationException e) // e.g. a \uD800 escape: valid JSON syntax, not a valid string
        {
            return ParseResult.Fail(DlqReasons.InvalidJson, e.Message);
        }
    }
}
