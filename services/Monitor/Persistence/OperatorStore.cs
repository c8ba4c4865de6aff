using Dapper;
using Npgsql;

namespace ReputationMonitor.Persistence;

/// <summary>What operator actions read and write directly: the audit log, review cases and their notes.</summary>
public sealed class OperatorStore(NpgsqlDataSource db)
{
    public async Task AuditAsync(string actor, string action, string scope, string entity, string? reason, string detailJson, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor, action, scope, entity_id, reason, detail) VALUES (@Actor, @Action, @Scope, @Entity, @Reason, @Detail::jsonb)
            """, new { Actor = actor, Action = action, Scope = scope, Entity = entity, Reason = reason, Detail = detailJson }, cancellationToken: ct));
    }

    public async Task<EntityStatusRow?> GetStatusAsync(string scope, string entity, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<EntityStatusRow>(new CommandDefinition("""
            SELECT status AS Status, rule AS Rule, reason AS Reason, since AS Since FROM entity_status WHERE scope = @Scope AND entity_id = @Entity
            """, new { Scope = scope, Entity = entity }, cancellationToken: ct));
    }

    /// <summary>The decision a command caused, once the projection has recorded it.</summary>
    public async Task<DecisionRow?> GetDecisionForCommandAsync(string commandId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DecisionRow>(new CommandDefinition("""
            SELECT decision_id AS DecisionId, from_status AS FromStatus, to_status AS ToStatus, rule AS Rule, at AS At
            FROM decisions WHERE command_id = @Id
            """, new { Id = commandId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ReviewRow>> ListReviewsAsync(string? status, string? after, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ReviewRow>(new CommandDefinition($"""
            SELECT {ReviewColumns} FROM review_cases
            WHERE (@Status::text IS NULL OR status = @Status) AND (@After::uuid IS NULL OR id > @After::uuid)
            ORDER BY id LIMIT @Limit
            """, new { Status = status, After = after, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<ReviewRow?> GetReviewAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(
            $"SELECT {ReviewColumns} FROM review_cases WHERE id = @Id", new { Id = id }, cancellationToken: ct));
    }

    public async Task<bool> AddNoteAsync(Guid id, string actor, string text, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE review_cases SET notes = notes || jsonb_build_array(jsonb_build_object('at', now(), 'actor', @Actor::text, 'text', @Text::text))
            WHERE id = @Id
            """, new { Id = id, Actor = actor, Text = text }, cancellationToken: ct)) == 1;
    }

    private const string ReviewColumns = """
        id AS Id, scope AS Scope, entity_id AS EntityId, status AS Status, rule AS Rule, opened_at AS OpenedAt,
        deadline AS Deadline, closed_at AS ClosedAt, evidence::text AS Evidence, notes::text AS Notes
        """;
}

public sealed class EntityStatusRow
{
    public string Status { get; init; } = "healthy";
    public string? Rule { get; init; }
    public string? Reason { get; init; }
    public DateTime Since { get; init; }
}

public sealed class DecisionRow
{
    public Guid DecisionId { get; init; }
    public string FromStatus { get; init; } = "";
    public string ToStatus { get; init; } = "";
    public string Rule { get; init; } = "";
    public DateTime At { get; init; }
}

public sealed class ReviewRow
{
    public Guid Id { get; init; }
    public string Scope { get; init; } = "";
    public string EntityId { get; init; } = "";
    public string Status { get; init; } = "";
    public string Rule { get; init; } = "";
    public DateTime OpenedAt { get; init; }
    public DateTime Deadline { get; init; }
    public DateTime? ClosedAt { get; init; }
    public string Evidence { get; init; } = "{}";
    public string Notes { get; init; } = "[]";
}
