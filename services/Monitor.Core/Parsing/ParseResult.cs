using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Core.Parsing;

/// <summary>Either a normalised event or the reason the record is unusable.</summary>
public readonly record struct ParseResult(NormalizedEvent? Event, string? ErrorCode, string? ErrorDetail)
{
    public bool IsSuccess => Event is not null;

    /// <summary>The DLQ <c>reason</c> header: code, then what exactly was wrong.</summary>
    public string Reason => $"{ErrorCode}: {ErrorDetail}";

    public static ParseResult Ok(NormalizedEvent e) => new(e, null, null);
    public static ParseResult Fail(string code, string detail) => new(null, code, detail);
}

/// <summary>Thrown inside the parsers to unwind from deep in a document; never escapes them.</summary>
internal sealed class RecordRejectedException(string code, string detail) : Exception(detail)
{
    public string Code { get; } = code;
}
