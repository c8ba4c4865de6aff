namespace ReputationMonitor.Core.Parsing;

/// <summary>
/// Why a record went to the dead-letter topic. A small fixed set, so it can be a metric label;
/// the record's <c>reason</c> header carries the code followed by the detail.
/// </summary>
public static class DlqReasons
{
    public const string InvalidJson = "invalid_json";
    public const string Oversize = "oversize";
    public const string Empty = "empty";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string UnknownEventType = "unknown_event_type";
    public const string MissingField = "missing_field";
    public const string MissingMessageId = "missing_message_id";
    public const string WrongFieldType = "wrong_field_type";
    public const string InvalidValue = "invalid_value";
    /// <summary>Dated more than the allowed clock skew ahead of the wall clock: it would move stream time past every real event.</summary>
    public const string TimestampInFuture = "timestamp_in_future";
    /// <summary>An account id that cannot key the account's state: empty, too long, or holding '/', white space or a control character.</summary>
    public const string InvalidAccountId = "invalid_account_id";
    /// <summary>An operator command that is malformed or out of range.</summary>
    public const string InvalidCommand = "invalid_command";
    /// <summary>An operator command without a valid signature from the API.</summary>
    public const string UnauthorizedCommand = "unauthorized_command";
    /// <summary>A record the engine failed on (a bug): isolated so the stream goes on.</summary>
    public const string ProcessingError = "processing_error";

    public static readonly IReadOnlyList<string> All =
        [InvalidJson, Oversize, Empty, InvalidUtf8, UnknownEventType, MissingField, MissingMessageId, WrongFieldType, InvalidValue,
         TimestampInFuture, InvalidAccountId, InvalidCommand, UnauthorizedCommand, ProcessingError];
}
