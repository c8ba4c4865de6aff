using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReputationMonitor.Configuration;
using ReputationMonitor.Persistence;

namespace ReputationMonitor.Api;

/// <summary>
/// Key management for admins: issue a key (shown once, stored as a hash), list keys with their last use,
/// revoke one with a reason. Configured keys are listed too but change only with the configuration.
/// </summary>
public static class KeysApi
{
    public sealed record KeyView(Guid? Id, string Name, string Role, string Source, string? Prefix, DateTimeOffset? CreatedAt,
        string? CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason);
    public sealed record IssueKeyRequest(string? Name, string? Role);
    public sealed record IssuedKey(Guid Id, string Name, string Role, string Key, string Note);

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListApiKeys");
        group.MapPost("/", Issue).WithName("IssueApiKey");
        group.MapDelete("/{id}", Revoke).WithName("RevokeApiKey");
        return app;
    }

    /// <summary>The configured keys (first page), then the issued ones by name.</summary>
    public static async Task<Results<Ok<Page<KeyView>>, ValidationProblem>> List(ApiKeyStore store, ApiKeyRegistry registry,
        int? pageSize, string? nextToken, CancellationToken ct)
    {
        var errors = Paging.Validate(pageSize, nextToken, out var size, out var after);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var configured = after is null
            ? registry.Configured.Select(k => new KeyView(null, k.Name, k.Role, "configuration", null, null, null, null, null, null, null)).ToList()
            : [];
        var rows = await store.PageAsync(after, size + 1, ct);
        var issued = rows.Take(size).Select(r => new KeyView(r.Id, r.Name, r.Role, "issued", r.KeyPrefix,
            ApiResults.Utc(r.CreatedAt), r.CreatedBy, ApiResults.Utc(r.LastUsedAt), ApiResults.Utc(r.RevokedAt), r.RevokedBy, r.RevokeReason)).ToList();
        return TypedResults.Ok(new Page<KeyView>([.. configured, .. issued], rows.Count > size ? Paging.Encode(issued[^1].Name) : null));
    }

    public static async Task<Results<Created<IssuedKey>, ValidationProblem, Conflict<ProblemDetails>>> Issue(
        ApiKeyStore store, OperatorStore audit, ApiKeyMaintenance maintenance, TimeProvider clock, HttpContext http,
        [FromBody] IssueKeyRequest? body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Name is not { Length: >= 3 and <= 64 } name || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors["name"] = ["name is required: 3 to 64 letters, digits, '-', '_' or '.'."];
        if (body?.Role is not { } role || !Roles.All.Contains(role))
            errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var key = ApiKeyRegistry.NewKey("rm");
        var row = new ApiKeyRow
        {
            Id = Guid.NewGuid(), Name = body!.Name!, Role = body.Role!, KeyHash = ApiKeyRegistry.Hash(key), KeyPrefix = key[..10],
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = OperatorCommands.Actor(http.User),
        };
        if (!await store.InsertAsync(row, ct))
            return TypedResults.Conflict(new ProblemDetails
            {
                Title = "Key name taken", Status = StatusCodes.Status409Conflict,
                Detail = $"A key named '{row.Name}' exists already (names stay unique after revocation, so the audit log stays unambiguous).",
                Extensions = { ["field"] = "name" },
            });
        await audit.AuditAsync(row.CreatedBy, "key.issued", "api-key", row.Name, null,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = row.Id.ToString(), ["role"] = row.Role, ["prefix"] = row.KeyPrefix },
                ApiJsonContext.Default.DictionaryStringString), ct);
        await maintenance.RefreshAsync(ct);
        return TypedResults.Created($"/v1/keys/{row.Id}", new IssuedKey(row.Id, row.Name, row.Role, key,
            "Store this key now: only its hash is kept, it cannot be shown again."));
    }

    public static async Task<Results<NoContent, ValidationProblem, NotFound<ProblemDetails>>> Revoke(
        ApiKeyStore store, OperatorStore audit, ApiKeyMaintenance maintenance, HttpContext http, string id, string? reason, CancellationToken ct)
    {
        var errors = OperatorCommands.RequireReason(reason);
        if (!Guid.TryParse(id, out var keyId)) errors["id"] = ["id must be the id of an issued key (a UUID); configured keys change with the configuration."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var actor = OperatorCommands.Actor(http.User);
        var key = (await store.ListAsync(ct)).FirstOrDefault(k => k.Id == keyId);
        if (key is null || !await store.RevokeAsync(keyId, actor, reason!.Trim(), ct))
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "No such active key", Status = StatusCodes.Status404NotFound,
                Detail = $"No active issued key has id '{keyId}'.",
            });
        await audit.AuditAsync(actor, "key.revoked", "api-key", key.Name, reason!.Trim(),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = key.Id.ToString(), ["role"] = key.Role },
                ApiJsonContext.Default.DictionaryStringString), ct);
        await maintenance.RefreshAsync(ct);
        return TypedResults.NoContent();
    }
}
