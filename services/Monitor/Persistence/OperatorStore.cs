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

    /// <summary>Open reviews, the nearest deadline first (keyset on deadline and id).</summary>
    public async Task<IReadOnlyList<ReviewRow>> ListOpenReviewsByDeadlineAsync((DateTime Deadline, Guid Id)? after, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ReviewRow>(new CommandDefinition($"""
            SELECT {ReviewColumns} FROM review_cases
            WHERE status = 'open' AND (@AfterAt::timestamptz IS NULL OR (deadline, id) > (@AfterAt, @AfterId))
            ORDER BY deadline, id LIMIT @Limit
            """, new { AfterAt = after?.Deadline, AfterId = after?.Id, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The status rows of these entities of one scope (entities without a row are healthy).</summary>
    public async Task<IReadOnlyDictionary<string, EntityStatusRow>> GetStatusesAsync(string scope, IReadOnlyCollection<string> entities, CancellationToken ct)
    {
        if (entities.Count == 0) return new Dictionary<string, EntityStatusRow>();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Entity, string Status, string? Rule, string? Reason, DateTime Since)>(new CommandDefinition("""
            SELECT entity_id, status, rule, reason, since FROM entity_status WHERE scope = @Scope AND entity_id = ANY(@Entities)
            """, new { Scope = scope, Entities = entities.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Entity, r => new EntityStatusRow { Status = r.Status, Rule = r.Rule, Reason = r.Reason, Since = r.Since });
    }

    /// <summary>The decisions about an entity (an account: also its configuration sets and tenants), newest first.</summary>
    public async Task<IReadOnlyList<DecisionHistoryRow>> ListDecisionsAsync(string entity, (DateTime At, Guid Id)? before, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<DecisionHistoryRow>(new CommandDefinition("""
            SELECT decision_id AS DecisionId, scope AS Scope, entity_id AS Entity, from_status AS FromStatus, to_status AS ToStatus,
                   rule AS Rule, pillar AS Pillar, reason AS Reason, at AS At, actor AS Actor
            FROM decisions
            WHERE (entity_id = @Entity OR left(entity_id, length(@Entity) + 1) = @Entity || '/')
              AND (@BeforeAt::timestamptz IS NULL OR (at, decision_id) < (@BeforeAt, @BeforeId))
            ORDER BY at DESC, decision_id DESC LIMIT @Limit
            """, new { Entity = entity, BeforeAt = before?.At, BeforeId = before?.Id, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<bool> AddNoteAsync(Guid id, string actor, string text, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE review_cases SET notes = notes || jsonb_build_array(jsonb_build_object('at', now(), 'actor', @Actor::text, 'text', @Text::text))
            WHERE id = @Id
            """, new { Id = id, Actor = actor, Text = text }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<FindingRow>> ListFindingsAsync(string? entity, string? pillar, string? scope,
        (DateTime At, Guid Id)? after, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FindingRow>(new CommandDefinition("""
            SELECT finding_id AS Id, scope AS Scope, entity_id AS Entity, rule AS Rule, pillar AS Pillar, provider AS Provider,
                   status AS Status, reason AS Reason, evidence::text AS Evidence, at AS At
            FROM findings
            WHERE (@Entity::text IS NULL OR entity_id = @Entity OR left(entity_id, length(@Entity) + 1) = @Entity || '/')
              AND (@Pillar::text IS NULL OR pillar = @Pillar) AND (@Scope::text IS NULL OR scope = @Scope)
              AND (@AfterAt::timestamptz IS NULL OR (at, finding_id) < (@AfterAt, @AfterId))
            ORDER BY at DESC, finding_id DESC
            LIMIT @Limit
            """, new { Entity = entity, Pillar = pillar, Scope = scope, AfterAt = after?.At, AfterId = after?.Id, Limit = limit },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// The newest findings raised on one dimension: of one account (<paramref name="accountId"/>), or of every account and
    /// across them (a sending domain's DMARC findings name the domain alone) when it is null.
    /// </summary>
    public async Task<IReadOnlyList<FindingRow>> ListDimensionFindingsAsync(string kind, string value, string? accountId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var where = accountId is null
            ? "scope = @Kind AND regexp_replace(entity_id, '^.*/', '') = @Value"
            : "entity_id = @Entity AND scope = @Kind";
        var rows = await conn.QueryAsync<FindingRow>(new CommandDefinition($"""
            SELECT finding_id AS Id, scope AS Scope, entity_id AS Entity, rule AS Rule, pillar AS Pillar, provider AS Provider,
                   status AS Status, reason AS Reason, evidence::text AS Evidence, at AS At
            FROM findings WHERE {where}
            ORDER BY at DESC, finding_id DESC
            LIMIT @Limit
            """, new { Kind = kind, Value = value, Entity = $"{accountId}/{value}", Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>One page of an account's list in address order (keyset: constant cost per page however deep).</summary>
    public async Task<IReadOnlyList<SuppressionRow>> ListSuppressionsAsync(string account, SuppressionFilter filter, string? after, int limit,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<SuppressionRow>(new CommandDefinition($"""
            SELECT {SuppressionColumns} FROM suppressions
            WHERE account_id = @Account AND (@Reason::text IS NULL OR reason = @Reason) AND (@After::text IS NULL OR email > @After)
              AND (@AddedAfter::timestamptz IS NULL OR added_at >= @AddedAfter)
              AND (@AddedBefore::timestamptz IS NULL OR added_at < @AddedBefore)
            ORDER BY email LIMIT @Limit
            """, new { Account = account, filter.Reason, After = after, filter.AddedAfter, filter.AddedBefore, Limit = limit },
            cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<SuppressionRow?> GetSuppressionAsync(string account, string email, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<SuppressionRow>(new CommandDefinition(
            $"SELECT {SuppressionColumns} FROM suppressions WHERE account_id = @Account AND email = @Email",
            new { Account = account, Email = email }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<FailedAttemptRow>> ListFailedAttemptsAsync(string account, string? code, (DateTime At, string Key)? after,
        int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FailedAttemptRow>(new CommandDefinition("""
            SELECT attempt_key AS AttemptKey, at AS At, error_code AS ErrorCode, detail::text AS Detail
            FROM failed_attempts
            WHERE account_id = @Account AND (@Code::text IS NULL OR error_code = @Code)
              AND (@AfterAt::timestamptz IS NULL OR (at, attempt_key) < (@AfterAt, @AfterKey))
            ORDER BY at DESC, attempt_key DESC LIMIT @Limit
            """, new { Account = account, Code = code, AfterAt = after?.At, AfterKey = after?.Key, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<AuditRow>> ListAuditAsync(string? entity, long? beforeId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition("""
            SELECT id AS Id, at AS At, actor AS Actor, action AS Action, scope AS Scope, entity_id AS Entity, reason AS Reason, detail::text AS Detail
            FROM audit_log
            WHERE (@Entity::text IS NULL OR entity_id = @Entity OR left(entity_id, length(@Entity) + 1) = @Entity || '/') AND (@Before::bigint IS NULL OR id < @Before)
            ORDER BY id DESC LIMIT @Limit
            """, new { Entity = entity, Before = beforeId, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    private const string SuppressionColumns =
        "email AS Email, reason AS Reason, message_id AS MessageId, actor AS Actor, note AS Note, added_at AS AddedAt";

    private const string ReviewColumns = """
        id AS Id, scope AS Scope, entity_id AS EntityId, status AS Status, rule AS Rule, opened_at AS OpenedAt,
        deadline AS Deadline, closed_at AS ClosedAt, evidence::text AS Evidence, notes::text AS Notes
        """;
}

/// <summary>Which suppression entries a list or export takes: by reason, by when they were added (from inclusive, to exclusive).</summary>
public sealed record SuppressionFilter(string? Reason, DateTimeOffset? AddedAfter, DateTimeOffset? AddedBefore);

public sealed class FailedAttemptRow
{
    public string AttemptKey { get; init; } = "";
    public DateTime At { get; init; }
    public string? ErrorCode { get; init; }
    public string Detail { get; init; } = "{}";
}

public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string Scope { get; init; } = "";
    public string Entity { get; init; } = "";
    public string? Reason { get; init; }
    public string Detail { get; init; } = "{}";
}

public sealed class SuppressionRow
{
    public string Email { get; init; } = "";
    public string Reason { get; init; } = "";
    public string? MessageId { get; init; }
    public string Actor { get; init; } = "";
    public string? Note { get; init; }
    public DateTime AddedAt { get; init; }
}

public sealed class FindingRow
{
    public Guid Id { get; init; }
    public string Scope { get; init; } = "";
    public string Entity { get; init; } = "";
    public string Rule { get; init; } = "";
    public string Pillar { get; init; } = "";
    public string? Provider { get; init; }
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string Evidence { get; init; } = "{}";
    public DateTime At { get; init; }
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

public sealed class DecisionHistoryRow
{
    public Guid DecisionId { get; init; }
    public string Scope { get; init; } = "";
    public string Entity { get; init; } = "";
    public string FromStatus { get; init; } = "";
    public string ToStatus { get; init; } = "";
    public string Rule { get; init; } = "";
    public string Pillar { get; init; } = "";
    public string? Reason { get; init; }
    public DateTime At { get; init; }
    public string? Actor { get; init; }
}
