using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Model;

namespace ReputationMonitor.Persistence;

/// <summary>The queries behind the operator API.</summary>
public sealed class ReadStore(NpgsqlDataSource db)
{
    /// <summary>How many entities each (scope, status) holds; healthy entities without a status row are not counted.</summary>
    public async Task<IReadOnlyList<(string Scope, string Status, long Count)>> CountEntitiesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string, string, long)>(new CommandDefinition(
            "SELECT scope, status, count(*) FROM entity_status GROUP BY scope, status", cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// How many entities of each kind are forecast to reach the review / pause threshold (either metric) within
    /// <paramref name="horizonHours"/> at the forecast's confidence, not already over it. Forecasts not republished within the
    /// horizon (the entity went quiet) are stale and not counted.
    /// </summary>
    public async Task<IReadOnlyList<(string Kind, long Review, long Pause)>> CountForecastCrossingsAsync(double horizonHours, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string, long, long)>(new CommandDefinition("""
            SELECT kind,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(ARRAY['bounce', 'complaint']) m
                       WHERE (forecast->m->'review'->>'expectedInHours')::float8 > 0
                         AND (forecast->m->'review'->>'confidentInHours')::float8 <= @Horizon)),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(ARRAY['bounce', 'complaint']) m
                       WHERE (forecast->m->'pause'->>'expectedInHours')::float8 > 0
                         AND (forecast->m->'pause'->>'confidentInHours')::float8 <= @Horizon))
            FROM entity_stats
            WHERE forecast IS NOT NULL AND updated_at > now() - make_interval(secs => @Horizon * 3600)
            GROUP BY kind
            """, new { Horizon = horizonHours }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<AccountRow?> GetAccountAsync(string accountId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition("""
            SELECT COALESCE(s.account_id, e.entity_id) AS AccountId,
                   COALESCE(e.status, 'healthy') AS Status,
                   e.reason AS StatusReason, e.rule AS StatusRule, e.since AS StatusSince,
                   s.window_start AS WindowStart, s.window_end AS WindowEnd, s.window_seconds AS WindowSeconds,
                   s.totals::text AS Totals, s.rates::text AS Rates, s.by_provider::text AS ByProvider,
                   s.thresholds::text AS Thresholds, s.late_events AS LateEvents, s.updated_at AS UpdatedAt, s.as_of AS AsOf,
                   s.forecast::text AS Forecast, s.window_mode AS WindowMode, s.window_volume AS WindowVolume,
                   r.id AS ReviewId, r.rule AS ReviewRule, r.opened_at AS ReviewOpenedAt, r.deadline AS ReviewDeadline
            FROM (SELECT @Id AS id) k
            LEFT JOIN account_stats s ON s.account_id = k.id
            LEFT JOIN entity_status e ON e.scope = 'account' AND e.entity_id = k.id
            LEFT JOIN review_cases r ON r.scope = 'account' AND r.entity_id = k.id AND r.status = 'open'
            WHERE s.account_id IS NOT NULL OR e.entity_id IS NOT NULL
            """, new { Id = accountId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AccountListRow>> ListAccountsAsync(string? status, string? after, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AccountListRow>(new CommandDefinition("""
            SELECT * FROM (
                SELECT COALESCE(s.account_id, e.entity_id) AS AccountId,
                       COALESCE(e.status, 'healthy') AS Status,
                       e.since AS StatusSince,
                       COALESCE((s.totals->>'sent')::bigint, 0) AS Sent,
                       COALESCE((s.rates->>'bounce')::float8, 0) AS BounceRate,
                       COALESCE((s.rates->>'complaint')::float8, 0) AS ComplaintRate,
                       s.window_start AS WindowStart, s.window_end AS WindowEnd, s.window_seconds AS WindowSeconds,
                       s.thresholds::text AS Thresholds
                FROM account_stats s
                FULL JOIN (SELECT * FROM entity_status WHERE scope = 'account') e ON e.entity_id = s.account_id
            ) a
            WHERE (@Status::text IS NULL OR a.Status = @Status) AND (@After::text IS NULL OR a.AccountId > @After)
            ORDER BY a.AccountId
            LIMIT @Limit
            """, new { Status = status, After = after, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<NormalizedEvent>> GetMessageTimelineAsync(string messageId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var details = await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT detail::text FROM message_events WHERE message_id = @Id ORDER BY at, recorded_at",
            new { Id = messageId }, cancellationToken: ct));
        return details.Select(d => JsonSerializer.Deserialize(d, CoreJsonContext.Default.NormalizedEvent)!).ToList();
    }

    /// <summary>Entity rows of one account and kind, or of one kind and value across accounts.</summary>
    public async Task<IReadOnlyList<EntityStatsRow>> GetEntityStatsAsync(string? accountId, string kind, string? value, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EntityStatsRow>(new CommandDefinition("""
            SELECT account_id AS AccountId, kind AS Kind, value AS Value, late_events AS LateEvents,
                   short_window::text AS ShortWindow, long_window::text AS LongWindow, updated_at AS UpdatedAt, as_of AS AsOf,
                   forecast::text AS Forecast, first_seen AS FirstSeen
            FROM entity_stats
            WHERE kind = @Kind AND (@Account::text IS NULL OR account_id = @Account) AND (@Value::text IS NULL OR value = @Value)
            ORDER BY value, account_id
            LIMIT 10000
            """, new { Account = accountId, Kind = kind, Value = value }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>One page of an account's dimensions (every kind but the account itself), in (kind, value) order.</summary>
    public async Task<IReadOnlyList<EntityStatsRow>> ListDimensionsAsync(string accountId, (string Kind, string Value)? after, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EntityStatsRow>(new CommandDefinition("""
            SELECT account_id AS AccountId, kind AS Kind, value AS Value, late_events AS LateEvents,
                   short_window::text AS ShortWindow, long_window::text AS LongWindow, updated_at AS UpdatedAt, as_of AS AsOf,
                   forecast::text AS Forecast, first_seen AS FirstSeen
            FROM entity_stats
            WHERE account_id = @Account AND kind <> @AccountKind
              AND (@AfterKind::text IS NULL OR (kind, value) > (@AfterKind, @AfterValue))
            ORDER BY kind, value
            LIMIT @Limit
            """, new { Account = accountId, AccountKind = Core.Aggregation.Dimensions.Account, AfterKind = after?.Kind, AfterValue = after?.Value, Limit = limit },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// The healthy accounts nearest a review line: each rate divided by its review threshold, counted only once the
    /// account has the rule's minimum volume (below it the rate is noise and no rule acts on it), the larger of the two.
    /// </summary>
    public async Task<IReadOnlyList<NearThresholdRow>> ListNearestThresholdAsync(int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<NearThresholdRow>(new CommandDefinition("""
            SELECT * FROM (
                SELECT s.account_id AS AccountId, (s.totals->>'sent')::bigint AS Sent,
                       COALESCE((s.rates->>'bounce')::float8, 0) AS BounceRate, COALESCE((s.rates->>'complaint')::float8, 0) AS ComplaintRate,
                       s.thresholds::text AS Thresholds,
                       GREATEST(
                           CASE WHEN (s.totals->>'sent')::bigint >= (s.thresholds->>'bounceMinVolume')::bigint
                                THEN COALESCE((s.rates->>'bounce')::float8, 0) / NULLIF((s.thresholds->>'bounceReview')::float8, 0) ELSE 0 END,
                           CASE WHEN (s.totals->>'sent')::bigint >= (s.thresholds->>'complaintMinVolume')::bigint
                                THEN COALESCE((s.rates->>'complaint')::float8, 0) / NULLIF((s.thresholds->>'complaintReview')::float8, 0) ELSE 0 END) AS Ratio
                FROM account_stats s
                LEFT JOIN entity_status e ON e.scope = 'account' AND e.entity_id = s.account_id
                WHERE COALESCE(e.status, 'healthy') = 'healthy'
            ) a
            WHERE a.Ratio > 0
            ORDER BY a.Ratio DESC, a.AccountId
            LIMIT @Limit
            """, new { Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>An account's hourly rate points from <paramref name="since"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<RatePointRow>> GetRateHistoryAsync(string accountId, DateTime since, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<RatePointRow>(new CommandDefinition("""
            SELECT hour AS Hour, sent AS Sent, bounce_rate AS BounceRate, complaint_rate AS ComplaintRate
            FROM account_rate_history WHERE account_id = @Account AND hour >= @Since ORDER BY hour
            """, new { Account = accountId, Since = since }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>How many message traces (attempts and SES events) the range holds.</summary>
    public async Task<long> CountTracesAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM message_events WHERE at >= @From AND at <= @To", new { From = from, To = to }, cancellationToken: ct));
    }

    /// <summary>The range's message traces as JSON lines in event-time order (an archive <c>monitor backtest</c> reads), streamed.</summary>
    /// <returns>The lines written.</returns>
    public async Task<long> WriteTracesAsync(DateTime from, DateTime to, Stream output, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT detail::text FROM message_events WHERE at >= @From AND at <= @To ORDER BY at, recorded_at", conn);
        cmd.Parameters.AddWithValue("From", from);
        cmd.Parameters.AddWithValue("To", to);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        long lines = 0;
        while (await reader.ReadAsync(ct))
        {
            await writer.WriteLineAsync(reader.GetString(0));
            lines++;
        }
        return lines;
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct)) == 1;
    }
}

public sealed class AccountRow
{
    public string AccountId { get; init; } = "";
    public string Status { get; init; } = "healthy";
    public string? StatusReason { get; init; }
    public string? StatusRule { get; init; }
    public DateTime? StatusSince { get; init; }
    public DateTime? WindowStart { get; init; }
    public DateTime? WindowEnd { get; init; }
    public long? WindowSeconds { get; init; }
    public string? Totals { get; init; }
    public string? Rates { get; init; }
    public string? ByProvider { get; init; }
    public string? Thresholds { get; init; }
    public long? LateEvents { get; init; }
    public DateTime? UpdatedAt { get; init; }
    public DateTime? AsOf { get; init; }
    public string? Forecast { get; init; }
    public string? WindowMode { get; init; }
    public long? WindowVolume { get; init; }
    public Guid? ReviewId { get; init; }
    public string? ReviewRule { get; init; }
    public DateTime? ReviewOpenedAt { get; init; }
    public DateTime? ReviewDeadline { get; init; }
}

public sealed class EntityStatsRow
{
    public string AccountId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Value { get; init; } = "";
    public long LateEvents { get; init; }
    public string ShortWindow { get; init; } = "{}";
    public string LongWindow { get; init; } = "{}";
    public DateTime UpdatedAt { get; init; }
    public DateTime? AsOf { get; init; }
    public string? Forecast { get; init; }
    public DateTime? FirstSeen { get; init; }
}

public sealed class AccountListRow
{
    public string AccountId { get; init; } = "";
    public string Status { get; init; } = "healthy";
    public DateTime? StatusSince { get; init; }
    public long Sent { get; init; }
    public double BounceRate { get; init; }
    public double ComplaintRate { get; init; }
    public DateTime? WindowStart { get; init; }
    public DateTime? WindowEnd { get; init; }
    public long? WindowSeconds { get; init; }
    public string? Thresholds { get; init; }
}

public sealed class NearThresholdRow
{
    public string AccountId { get; init; } = "";
    public long Sent { get; init; }
    public double BounceRate { get; init; }
    public double ComplaintRate { get; init; }
    public string Thresholds { get; init; } = "{}";
    public double Ratio { get; init; }
}

public sealed class RatePointRow
{
    public DateTime Hour { get; init; }
    public long Sent { get; init; }
    public double BounceRate { get; init; }
    public double ComplaintRate { get; init; }
}
