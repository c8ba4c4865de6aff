using Dapper;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>Issued API keys (hashes only) and when each was last used. Written only through the key functions
/// (migration 0008), so that the service's role cannot add a key of its own by any other statement.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id AS Id, name AS Name, role AS Role, key_hash AS KeyHash, key_prefix AS KeyPrefix, created_at AS CreatedAt,
        created_by AS CreatedBy, last_used_at AS LastUsedAt, revoked_at AS RevokedAt, revoked_by AS RevokedBy, revoke_reason AS RevokeReason
        """;

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiKeyRow>(new CommandDefinition($"SELECT {Columns} FROM api_keys ORDER BY created_at, id", cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<ApiKeyRow>> PageAsync(string? afterName, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiKeyRow>(new CommandDefinition($"""
            SELECT {Columns} FROM api_keys WHERE (@After::text IS NULL OR name > @After) ORDER BY name LIMIT @Limit
            """, new { After = afterName, Limit = limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Adds a key; false when the name is taken.</summary>
    public async Task<bool> InsertAsync(ApiKeyRow key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT api_key_issue(@Id, @Name, @Role, @KeyHash, @KeyPrefix, @CreatedAt, @CreatedBy)", key, cancellationToken: ct));
    }

    /// <summary>Revokes an active key; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(Guid id, string actor, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT api_key_revoke(@Id, @Actor, @Reason)", new { Id = id, Actor = actor, Reason = reason }, cancellationToken: ct));
    }

    public async Task TouchAsync(IReadOnlyDictionary<Guid, DateTime> lastUsed, CancellationToken ct)
    {
        if (lastUsed.Count == 0) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT api_key_touch(@Ids, @Ats)",
            new { Ids = lastUsed.Keys.ToArray(), Ats = lastUsed.Values.ToArray() }, cancellationToken: ct));
    }
}

public sealed class ApiKeyRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public byte[] KeyHash { get; init; } = [];
    public string KeyPrefix { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime? LastUsedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public string? RevokeReason { get; init; }
}
