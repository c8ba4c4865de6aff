using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using static ReputationMonitor.Csv.CsvCells;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReputationMonitor.Core.Parsing;
using ReputationMonitor.Core.Rules;
using ReputationMonitor.Kafka;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Bulk import and export of an account's suppression list, as JSON lines or CSV. Both stream: an export reads
/// keyset pages and writes them as it goes, an import sends chunks to the stream as it reads, so neither holds the
/// list in memory whatever its size.
/// </summary>
public static class SuppressionTransferApi
{
    public const int ChunkSize = CommandRules.MaxEmailsPerCommand, ExportPageSize = 5000, MaxErrorsReported = 100;
    public const long MaxImportBytes = 200L * 1024 * 1024;
    private const string JsonLines = "application/x-ndjson", Csv = "text/csv";
    private static readonly string[] JsonLinesTypes = [JsonLines, "application/jsonl", "application/json-lines"];

    public sealed record LineError(long Line, string Field, string Message);
    public sealed record ImportResult(long Accepted, long Rejected, int Commands, IReadOnlyList<LineError> Errors);
    private sealed record Entry(string? Email, string? Reason);

    public static IEndpointRouteBuilder MapSuppressionTransferApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/accounts/{accountId}/suppressions").WithTags("Suppressions").RequireAuthorization(Policies.Viewer);
        var write = app.MapGroup("/v1/accounts/{accountId}/suppressions").WithTags("Suppressions").RequireAuthorization(Policies.Operator);
        read.MapGet("/export", Export).WithName("ExportSuppressions");
        // Content types are checked by the handler (not .Accepts, whose 415 would come before the 401/403).
        write.MapPost("/import", Import).WithName("ImportSuppressions")
            .WithDescription($"Body: {JsonLines} (one {{\"email\", \"reason\"}} object per line) or {Csv} (header with email and optionally reason).");
        return app;
    }

    public static Results<PushStreamHttpResult, ValidationProblem> Export(
        OperatorStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, string accountId, string? format,
        string? reason, string? addedAfter, string? addedBefore)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = SuppressionRequests.Filter(reason, addedAfter, addedBefore, errors);
        if (format is not (null or "jsonl" or "csv")) errors["format"] = ["format must be 'jsonl' or 'csv'."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var csv = format == "csv";
        var options = json.Value.SerializerOptions;
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
            await using var table = csv ? CsvWriter.Create(body, CsvWriterOptions.Default, leaveOpen: true) : null;
            table?.WriteHeader(CsvColumns);
            string? after = null;
            while (true)
            {
                var page = await store.ListSuppressionsAsync(accountId, filter, after, ExportPageSize, CancellationToken.None);
                foreach (var row in page)
                {
                    var view = SuppressionRequests.View(row);
                    if (table is not null)
                        await table.WriteRecordAsync([Cell(view.Email), Cell(view.Reason), view.AddedAt.ToString("O"), Cell(view.MessageId ?? ""),
                            Cell(view.Actor), Cell(view.Note ?? "")]);
                    else await writer.WriteLineAsync(JsonSerializer.Serialize(view, options));
                }
                if (page.Count < ExportPageSize) break;
                after = page[^1].Email;
                if (table is not null) await table.FlushAsync();
                else await writer.FlushAsync();
            }
        }, csv ? Csv : JsonLines, $"suppressions-{accountId}.{(csv ? "csv" : "jsonl")}");
    }

    private static readonly string[] CsvColumns = ["email", "reason", "addedAt", "messageId", "actor", "note"];

    public static async Task<Results<Accepted<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        CommandPublisher publisher, OperatorStore store, TimeProvider clock, HttpContext http, string accountId, string? note,
        CancellationToken ct)
    {
        var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var isCsv = type == Csv;
        if (!isCsv && !JsonLinesTypes.Contains(type))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Content-Type",
                detail: $"Send the list as {JsonLines} (one {{\"email\", \"reason\"}} object per line) or {Csv} (a header with 'email' and optionally 'reason').",
                extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" });
        if (note is not null && !string.IsNullOrWhiteSpace(note) && !CommandRules.IsText(note, OperatorCommands.MaxReasonLength))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"note must be at most {OperatorCommands.MaxReasonLength} characters, without control characters."] });
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxImportBytes;

        var why = string.IsNullOrWhiteSpace(note) ? "bulk import" : note.Trim();
        var chunks = new Dictionary<string, List<string>>();
        var errors = new List<LineError>();
        long accepted = 0, rejected = 0;
        var commands = 0;

        async Task SendAsync(string reason, List<string> emails)
        {
            var command = OperatorCommands.New(OperatorCommand.Suppress, accountId, http.User, why, clock);
            command.Emails = [.. emails];
            command.SuppressionReason = reason;
            await publisher.PublishAsync(command, ct);
            commands++;
            emails.Clear();
        }

        await foreach (var (line, entry, readError) in isCsv ? ReadCsv(http.Request.Body, ct) : ReadJsonLines(http.Request.Body, ct))
        {
            string? email = null, reason = null;
            var error = readError ?? Validate(entry!, out email, out reason);
            if (error is { } e)
            {
                rejected++;
                if (errors.Count < MaxErrorsReported) errors.Add(new LineError(line, e.Field, e.Message));
                continue;
            }
            accepted++;
            if (!chunks.TryGetValue(reason!, out var chunk)) chunks[reason!] = chunk = new List<string>(ChunkSize);
            chunk.Add(email!);
            if (chunk.Count == ChunkSize) await SendAsync(reason!, chunk);
        }
        foreach (var (reason, chunk) in chunks)
            if (chunk.Count > 0) await SendAsync(reason, chunk);

        if (accepted == 0)
            return TypedResults.ValidationProblem(errors.Count == 0
                ? new Dictionary<string, string[]> { ["body"] = ["the body holds no entries."] }
                : errors.GroupBy(e => $"lines[{e.Line}].{e.Field}").ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

        await store.AuditAsync(OperatorCommands.Actor(http.User), "suppressions.imported", "account", accountId, why,
            JsonSerializer.Serialize(new Dictionary<string, long> { ["accepted"] = accepted, ["rejected"] = rejected, ["commands"] = commands },
                ApiJsonContext.Default.DictionaryStringInt64), ct);
        return TypedResults.Accepted($"/v1/accounts/{accountId}/suppressions", new ImportResult(accepted, rejected, commands, errors));
    }

    private static (string Field, string Message)? Validate(Entry entry, out string? email, out string? reason)
    {
        email = entry.Email is null ? null : EmailAddress.Normalize(Uncell(entry.Email.Trim()));
        reason = string.IsNullOrWhiteSpace(entry.Reason) ? SuppressionChange.Manual : entry.Reason.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(email)) return ("email", "email is required.");
        if (SuppressionRequests.ValidateEmail(email).Count > 0) return ("email", $"'{Truncate(email)}' is not a single address like name@example.com.");
        if (!SuppressionRequests.IsReason(reason)) return ("reason", $"reason '{Truncate(reason)}' must be BOUNCE, COMPLAINT or MANUAL.");
        return null;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private static async IAsyncEnumerable<(long Line, Entry? Entry, (string Field, string Message)? Error)> ReadJsonLines(Stream body,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        long line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            (long, Entry?, (string Field, string Message)?) item;
            try
            {
                using var doc = JsonDocument.Parse(text);
                item = doc.RootElement.ValueKind != JsonValueKind.Object
                    ? (line, null, ("line", "each line must be a JSON object like {\"email\": \"name@example.com\"}."))
                    : (line, new Entry(Text(doc.RootElement, "email"), Text(doc.RootElement, "reason")), null);
            }
            catch (JsonException e)
            {
                item = (line, null, ("line", $"not JSON: {e.Message}"));
            }
            yield return item;
        }
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async IAsyncEnumerable<(long Line, Entry? Entry, (string Field, string Message)? Error)> ReadCsv(Stream body,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var csv = CsvReader.Create(body, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true }, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        if (!csv.TryGetFieldIndex("email", out var emailColumn))
        {
            yield return (1, null, ("header", "the first line must be a header naming an 'email' column (and optionally 'reason')."));
            yield break;
        }
        var reasonColumn = csv.TryGetFieldIndex("reason", out var r) ? r : -1;
        while (true)
        {
            (long, Entry?, (string Field, string Message)?) item;
            try
            {
                if (!await csv.ReadAsync(ct)) yield break;
                item = (csv.LineNumber, new Entry(emailColumn < csv.FieldCount ? csv.GetStringOrNull(emailColumn) : null,
                    reasonColumn >= 0 && reasonColumn < csv.FieldCount ? csv.GetStringOrNull(reasonColumn) : null), null);
            }
            catch (CsvFormatException e)
            {
                item = (csv.LineNumber, null, ("line", $"not valid CSV: {e.Message}"));
            }
            yield return item;
            if (item.Item3 is not null) yield break; // after malformed quoting the rest cannot be trusted to line up
        }
    }
}
