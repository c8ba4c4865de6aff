using System.Text.Json;
using Dapper;
using Npgsql;
using ReputationMonitor.Core;
using ReputationMonitor.Core.Aggregation;
using ReputationMonitor.Core.Model;
using ReputationMonitor.Core.Rules;

namespace ReputationMonitor.Persistence;

/// <summary>
/// Idempotent writes of the stream's outputs: every statement is an upsert or an insert-if-absent keyed
/// by a deterministic id, so at-least-once delivery and replays change nothing.
/// </summary>
public sealed class ProjectionStore(NpgsqlDataSource db)
{
    public async Task ApplyDecisionsAsync(IReadOnlyList<Decision> decisions, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var d in decisions)
        {
            var evidence = JsonSerializer.Serialize(d.Evidence, CoreJsonContext.Default.DecisionEvidence);
            if (d.Kind == Decision.FindingKind)
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO findings (finding_id, scope, entity_id, rule, pillar, provider, status, reason, evidence, at)
                    VALUES (@Id, @Scope, @Entity, @Rule, @Pillar, @Provider, @To, @Reason, @Evidence::jsonb, @At)
                    ON CONFLICT (finding_id) DO NOTHING
                    """, new
                {
                    Id = Guid.Parse(d.DecisionId), d.Scope, d.Entity, d.Rule, d.Pillar, d.Provider, d.To, d.Reason,
                    Evidence = evidence, At = d.At.UtcDateTime,
                }, tx, cancellationToken: ct));
                continue;
            }
            var inserted = await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO decisions (decision_id, scope, entity_id, from_status, to_status, rule, pillar, sequence, reason, evidence, at, actor, command_id)
                VALUES (@Id, @Scope, @Entity, @From, @To, @Rule, @Pillar, @Sequence, @Reason, @Evidence::jsonb, @At, @Actor, @CommandId)
                ON CONFLICT (decision_id) DO NOTHING
                """, new
            {
                Id = Guid.Parse(d.DecisionId), d.Scope, d.Entity, d.From, d.To, d.Rule, d.Pillar, d.Sequence, d.Reason,
                Evidence = evidence, At = d.At.UtcDateTime, d.Actor, d.CommandId,
            }, tx, cancellationToken: ct));
            if (inserted == 0) continue;
            if (d.CommandId is { } commandId) await NotifyAnswered(conn, tx, commandId, ct);

            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO entity_status (scope, entity_id, status, status_seq, rule, reason, since, decision_id)
                VALUES (@Scope, @Entity, @To, @Sequence, @Rule, @Reason, @At, @Id)
                ON CONFLICT (scope, entity_id) DO UPDATE SET
                    status = EXCLUDED.status, status_seq = EXCLUDED.status_seq, rule = EXCLUDED.rule, reason = EXCLUDED.reason,
                    since = EXCLUDED.since, decision_id = EXCLUDED.decision_id, updated_at = now()
                WHERE entity_status.status_seq < EXCLUDED.status_seq
                """, new { d.Scope, d.Entity, d.To, d.Sequence, d.Rule, d.Reason, At = d.At.UtcDateTime, Id = Guid.Parse(d.DecisionId) },
                tx, cancellationToken: ct));

            if (d.Review is { Outcome: "open" } opening)
                // The stream's truth wins: an open review the database still holds for the entity (a changelog lost, a topic
                // reset, a restored backup) is superseded by the one the stream opens now.
                await conn.ExecuteAsync(new CommandDefinition("""
                    UPDATE review_cases SET status = 'superseded', closed_at = @At
                    WHERE scope = @Scope AND entity_id = @Entity AND status = 'open' AND id <> @Id
                    """, new { d.Scope, d.Entity, Id = Guid.Parse(opening.Id), At = d.At.UtcDateTime }, tx, cancellationToken: ct));
            if (d.Review is { } r)
                await conn.ExecuteAsync(new CommandDefinition(r.Outcome == "open"
                    ? """
                      INSERT INTO review_cases (id, scope, entity_id, status, rule, opened_at, deadline, evidence)
                      VALUES (@Id, @Scope, @Entity, 'open', @Rule, @Opened, @Deadline, @Evidence::jsonb)
                      ON CONFLICT (id) DO UPDATE SET deadline = EXCLUDED.deadline
                      """
                    : """
                      UPDATE review_cases SET status = @Outcome, closed_at = @At, deadline = @Deadline
                      WHERE id = @Id AND status = 'open'
                      """, new
                {
                    Id = Guid.Parse(r.Id), d.Scope, d.Entity, d.Rule, Opened = r.OpenedAt.UtcDateTime, Deadline = r.Deadline.UtcDateTime,
                    Evidence = evidence, r.Outcome, At = d.At.UtcDateTime,
                }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
    }

    public async Task UpsertAccountStatsAsync(IReadOnlyList<AccountSnapshot> snapshots, CancellationToken ct)
    {
        // Only the newest snapshot per account in a batch matters: the last one (one account, one partition, so the
        // batch holds them in offset order). Not the highest version: late events change a snapshot without
        // changing its window version, so the first of equal versions must not win.
        var latest = snapshots.GroupBy(s => s.AccountId).Select(g => g.Last()).ToList();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO account_stats (account_id, version, window_start, window_end, window_seconds, totals, rates, by_provider, thresholds, late_events, as_of,
                                       forecast, window_mode, window_volume)
            SELECT * FROM unnest(@Ids, @Versions, @Starts, @Ends, @Seconds,
                                 @Totals::jsonb[], @Rates::jsonb[], @ByProvider::jsonb[], @Thresholds::jsonb[], @Late, @AsOf::timestamptz[],
                                 @Forecasts::jsonb[], @Modes::text[], @Volumes::bigint[])
            ON CONFLICT (account_id) DO UPDATE SET
                version = EXCLUDED.version, window_start = EXCLUDED.window_start,
                window_end = EXCLUDED.window_end, window_seconds = EXCLUDED.window_seconds, totals = EXCLUDED.totals,
                rates = EXCLUDED.rates, by_provider = EXCLUDED.by_provider, thresholds = EXCLUDED.thresholds,
                late_events = EXCLUDED.late_events, as_of = EXCLUDED.as_of, forecast = EXCLUDED.forecast,
                window_mode = EXCLUDED.window_mode, window_volume = EXCLUDED.window_volume, updated_at = now()
            WHERE account_stats.version <= EXCLUDED.version
            """, new
        {
            Ids = latest.Select(s => s.AccountId).ToArray(),
            Versions = latest.Select(s => s.Version).ToArray(),
            Starts = latest.Select(s => s.Window.Start.UtcDateTime).ToArray(),
            Ends = latest.Select(s => s.Window.End.UtcDateTime).ToArray(),
            Seconds = latest.Select(s => s.Window.DurationSeconds).ToArray(),
            Totals = latest.Select(s => JsonSerializer.Serialize(s.Totals, PersistenceJsonContext.Default.DictionaryStringInt64)).ToArray(),
            Rates = latest.Select(s => JsonSerializer.Serialize(s.Rates, PersistenceJsonContext.Default.DictionaryStringDouble)).ToArray(),
            ByProvider = latest.Select(s => JsonSerializer.Serialize(s.ByProvider, PersistenceJsonContext.Default.ListProviderCounts)).ToArray(),
            Thresholds = latest.Select(s => JsonSerializer.Serialize(s.Thresholds, PersistenceJsonContext.Default.RateThresholds)).ToArray(),
            Late = latest.Select(s => s.LateEvents).ToArray(),
            AsOf = latest.Select(s => s.AsOf?.UtcDateTime).ToArray(),
            Forecasts = latest.Select(s => Json(s.Forecast)).ToArray(),
            Modes = latest.Select(s => s.Window.Mode).ToArray(),
            Volumes = latest.Select(s => s.Window.Volume).ToArray(),
        }, cancellationToken: ct));
        await RecordRateHistoryAsync(conn, latest, ct);
    }

    /// <summary>How long an account's rate history is kept, counted back from its newest point (event time).</summary>
    public static readonly TimeSpan RateHistoryKept = TimeSpan.FromDays(8);

    /// <summary>The hour's point of each account's rate history (the window's end names the hour; the last snapshot of the
    /// hour wins), and the points older than <see cref="RateHistoryKept"/> before it dropped.</summary>
    private static async Task RecordRateHistoryAsync(NpgsqlConnection conn, IReadOnlyList<AccountSnapshot> latest, CancellationToken ct)
    {
        static double Rate(AccountSnapshot s, string name) => s.Rates.TryGetValue(name, out var r) ? r : 0;
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO account_rate_history (account_id, hour, sent, bounce_rate, complaint_rate)
            SELECT id, date_trunc('hour', at, 'UTC'), sent, bounce, complaint
            FROM unnest(@Ids, @Ends::timestamptz[], @Sent, @Bounce, @Complaint) AS n(id, at, sent, bounce, complaint)
            ON CONFLICT (account_id, hour) DO UPDATE SET
                sent = EXCLUDED.sent, bounce_rate = EXCLUDED.bounce_rate, complaint_rate = EXCLUDED.complaint_rate;
            DELETE FROM account_rate_history h USING unnest(@Ids, @Ends::timestamptz[]) AS n(id, at)
            WHERE h.account_id = n.id AND h.hour < n.at - @Kept;
            """, new
        {
            Ids = latest.Select(s => s.AccountId).ToArray(),
            Ends = latest.Select(s => s.Window.End.UtcDateTime).ToArray(),
            Sent = latest.Select(s => s.Totals.TryGetValue("sent", out var n) ? n : 0).ToArray(),
            Bounce = latest.Select(s => Rate(s, "bounce")).ToArray(),
            Complaint = latest.Select(s => Rate(s, "complaint")).ToArray(),
            Kept = RateHistoryKept,
        }, cancellationToken: ct));
    }

    public async Task UpsertEntityStatsAsync(IReadOnlyList<EntitySnapshot> snapshots, CancellationToken ct)
    {
        var latest = snapshots.GroupBy(s => (s.AccountId, s.Kind, s.Value)).Select(g => g.Last()).ToList(); // newest: last in offset order
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO entity_stats (account_id, kind, value, version, late_events, short_window, long_window, as_of, forecast, first_seen)
            SELECT * FROM unnest(@Accounts, @Kinds, @Values, @Versions, @Late, @Short::jsonb[], @Long::jsonb[], @AsOf::timestamptz[],
                                 @Forecasts::jsonb[], @FirstSeen::timestamptz[])
            ON CONFLICT (account_id, kind, value) DO UPDATE SET
                version = EXCLUDED.version, late_events = EXCLUDED.late_events, short_window = EXCLUDED.short_window,
                long_window = EXCLUDED.long_window, as_of = EXCLUDED.as_of, forecast = EXCLUDED.forecast, first_seen = EXCLUDED.first_seen,
                updated_at = now()
            WHERE entity_stats.version <= EXCLUDED.version
            """, new
        {
            Accounts = latest.Select(s => s.AccountId).ToArray(),
            Kinds = latest.Select(s => s.Kind).ToArray(),
            Values = latest.Select(s => s.Value).ToArray(),
            Versions = latest.Select(s => s.Version).ToArray(),
            Late = latest.Select(s => s.LateEvents).ToArray(),
            Short = latest.Select(s => JsonSerializer.Serialize(s.Short, CoreJsonContext.Default.WindowStats)).ToArray(),
            Long = latest.Select(s => JsonSerializer.Serialize(s.Long, CoreJsonContext.Default.WindowStats)).ToArray(),
            AsOf = latest.Select(s => s.AsOf?.UtcDateTime).ToArray(),
            Forecasts = latest.Select(s => Json(s.Forecast)).ToArray(),
            FirstSeen = latest.Select(s => s.FirstSeen?.UtcDateTime).ToArray(),
        }, cancellationToken: ct));
    }

    private static string? Json(Forecast? forecast) =>
        forecast is null ? null : JsonSerializer.Serialize(forecast, PersistenceJsonContext.Default.Forecast);

    /// <summary>Applies suppression-list changes in order (adds are upserts, removals deletes).</summary>
    public async Task ApplySuppressionsAsync(IReadOnlyList<SuppressionChange> changes, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var c in changes)
            await conn.ExecuteAsync(new CommandDefinition(c.Action == SuppressionChange.Added
                ? """
                  INSERT INTO suppressions (account_id, email, reason, message_id, actor, note, added_at)
                  VALUES (@AccountId, @Email, @Reason, @MessageId, @Actor, @Note, @At)
                  ON CONFLICT (account_id, email) DO UPDATE SET reason = EXCLUDED.reason, message_id = EXCLUDED.message_id,
                      actor = EXCLUDED.actor, note = EXCLUDED.note, added_at = EXCLUDED.added_at
                  """
                : "DELETE FROM suppressions WHERE account_id = @AccountId AND email = @Email",
                new { c.AccountId, c.Email, c.Reason, c.MessageId, c.Actor, c.Note, At = c.At.UtcDateTime }, tx, cancellationToken: ct));
        foreach (var commandId in changes.Select(c => c.CommandId).OfType<string>().Distinct())
            await NotifyAnswered(conn, tx, commandId, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Delivered when the transaction commits: the API's waiter for the command learns its answer is readable.</summary>
    private static Task NotifyAnswered(NpgsqlConnection conn, NpgsqlTransaction tx, string commandId, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @CommandId)",
            new { Channel = CommandOutcomes.Channel, CommandId = commandId }, tx, cancellationToken: ct));

    /// <summary>Keeps a record a projection could not write for a permanent reason (once per source offset).</summary>
    public async Task RecordFailureAsync(string kind, string topic, int partition, long offset, string? key, string reason, string? sqlState,
        string record, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO projection_failures (kind, source_topic, source_partition, source_offset, record_key, reason, sql_state, record)
            VALUES (@Kind, @Topic, @Partition, @Offset, @Key, @Reason, @SqlState, @Record)
            ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING
            """, new { Kind = kind, Topic = topic, Partition = partition, Offset = offset, Key = key, Reason = reason, SqlState = sqlState, Record = record },
            cancellationToken: ct));
    }

    public async Task InsertTracesAsync(IReadOnlyList<NormalizedEvent> events, CancellationToken ct)
    {
        var traced = events.Where(e => e.MessageId is not null).ToList();
        var failed = events.Where(e => e.MessageId is null).ToList();
        await using var conn = await db.OpenConnectionAsync(ct);
        if (traced.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO message_events (message_id, event_key, account_id, kind, at, detail)
                SELECT * FROM unnest(@Ids, @Keys, @Accounts, @Kinds, @Ats, @Details::jsonb[])
                ON CONFLICT (message_id, event_key) DO NOTHING
                """, new
            {
                Ids = traced.Select(e => e.MessageId!).ToArray(),
                Keys = traced.Select(e => e.EventKey).ToArray(),
                Accounts = traced.Select(e => e.AccountId).ToArray(),
                Kinds = traced.Select(e => e.Kind.ToString()).ToArray(),
                Ats = traced.Select(e => DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).UtcDateTime).ToArray(),
                Details = traced.Select(e => JsonSerializer.Serialize(e, CoreJsonContext.Default.NormalizedEvent)).ToArray(),
            }, cancellationToken: ct));
        if (failed.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO failed_attempts (attempt_key, account_id, at, error_code, detail)
                SELECT * FROM unnest(@Keys, @Accounts, @Ats, @Codes, @Details::jsonb[])
                ON CONFLICT (attempt_key) DO NOTHING
                """, new
            {
                Keys = failed.Select(e => e.EventKey).ToArray(),
                Accounts = failed.Select(e => e.AccountId).ToArray(),
                Ats = failed.Select(e => DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).UtcDateTime).ToArray(),
                Codes = failed.Select(e => e.ErrorCode).ToArray(),
                Details = failed.Select(e => JsonSerializer.Serialize(e, CoreJsonContext.Default.NormalizedEvent)).ToArray(),
            }, cancellationToken: ct));
    }
}
