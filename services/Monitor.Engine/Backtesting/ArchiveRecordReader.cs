using System.Text.Json;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Parsing;

namespace ReputationMonitor.Engine.Backtesting;

/// <summary>
/// One line of an archive, whatever it holds: a send attempt (as on <c>email.send-attempts</c>), an SES event (raw or in its
/// SNS envelope, as on <c>email.events</c>) or a message trace as the monitor stores it (a normalised event). Told apart by
/// the first top-level field that only one of them has; read by the same parsers as the stream, so a line the stream would
/// refuse is refused here for the same reason.
/// </summary>
public sealed class ArchiveRecordReader(int maxRecordBytes = RecordLimits.DefaultMaxRecordBytes)
{
    private readonly SendAttemptParser _attempts = new(maxRecordBytes);
    private readonly SesEventParser _events = new(maxRecordBytes);

    public const string UnknownShape = "unknown_record_shape";

    public ParseResult Read(ReadOnlySpan<byte> line)
    {
        var result = Shape(line) switch
        {
            RecordShape.Attempt => _attempts.Parse(line),
            RecordShape.SesEvent => _events.Parse(line),
            RecordShape.Trace => Trace(line),
            RecordShape.NotJson => ParseResult.Fail(DlqReasons.InvalidJson, "not a JSON object"),
            _ => ParseResult.Fail(UnknownShape, "neither a send attempt, an SES event nor a message trace"),
        };
        if (result.Event is { } e && AccountIds.Violation(e.AccountId) is { } violation)
            return ParseResult.Fail(DlqReasons.InvalidAccountId, violation);
        return result;
    }

    private enum RecordShape { Unknown, NotJson, Attempt, SesEvent, Trace }

    private static RecordShape Shape(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return RecordShape.NotJson;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("attemptId"u8) || reader.ValueTextEquals("destinations"u8) || reader.ValueTextEquals("outcome"u8))
                    return RecordShape.Attempt;
                if (reader.ValueTextEquals("eventType"u8) || reader.ValueTextEquals("notificationType"u8) || reader.ValueTextEquals("Type"u8)
                    || reader.ValueTextEquals("Message"u8) || reader.ValueTextEquals("mail"u8))
                    return RecordShape.SesEvent;
                if (reader.ValueTextEquals("kind"u8) || reader.ValueTextEquals("eventKey"u8) || reader.ValueTextEquals("timestampMs"u8))
                    return RecordShape.Trace;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return RecordShape.NotJson;
        }
        return RecordShape.Unknown;
    }

    private ParseResult Trace(ReadOnlySpan<byte> line)
    {
        if (line.Length > maxRecordBytes) return ParseResult.Fail(DlqReasons.Oversize, $"{line.Length} bytes, the limit is {maxRecordBytes}");
        try
        {
            return JsonSerializer.Deserialize(line, CoreJsonContext.Default.NormalizedEvent) is { } e
                ? ParseResult.Ok(e)
                : ParseResult.Fail(DlqReasons.InvalidJson, "null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return ParseResult.Fail(DlqReasons.InvalidJson, e.Message);
        }
    }
}
