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

    public static readonly IReadOnlyList<string> All =
        [InvalidJson, Oversize, Empty, InvalidUtf8, UnknownEventType, MissingField, MissingMessageId, WrongFieldType, InvalidValue];
}
