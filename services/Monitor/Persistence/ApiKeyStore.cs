using Dapper;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>Issued API keys (hashes only) and when each was last used.</summary>
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
        return await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, created_by)
            VALUES (@Id, @Name, @Role, @KeyHash, @KeyPrefix, @CreatedAt, @CreatedBy)
            ON CONFLICT (name) DO NOTHING
            """, key, cancellationToken: ct)) == 1;
    }

    /// <summary>Revokes an active key; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(Guid id, string actor, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE api_keys SET revoked_at = now(), revoked_by = @Actor, revoke_reason = @Reason WHERE id = @Id AND revoked_at IS NULL
            """, new { Id = id, Actor = actor, Reason = reason }, cancellationToken: ct)) == 1;
    }

    public async Task TouchAsync(IReadOnlyDictionary<Guid, DateTime> lastUsed, CancellationToken ct)
    {
        if (lastUsed.Count == 0) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
            FROM unnest(@Ids, @Ats) AS u(id, at) WHERE k.id = u.id
            """, new { Ids = lastUsed.Keys.ToArray(), Ats = lastUsed.Values.ToArray() }, cancellationToken: ct));
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
