-- Least privilege. Migrations run as the schema's owner (Postgres:MigrationConnectionString); the service may run as
-- the role named by Postgres:AppRole (default monitor_app), which gets what it needs and no more:
--   * the audit log is append-only: INSERT and SELECT, never UPDATE, DELETE or TRUNCATE (and a trigger refuses those
--     to everyone, the owner included, so that the rule does not rest on grants alone);
--   * api_keys is read directly but written only through the functions below, the statements of the key routes.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE FUNCTION api_key_issue(p_id uuid, p_name text, p_role text, p_hash bytea, p_prefix text, p_created_at timestamptz, p_created_by text)
    RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH added AS (
        INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, created_by)
        VALUES (p_id, p_name, p_role, p_hash, p_prefix, p_created_at, p_created_by)
        ON CONFLICT (name) DO NOTHING RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM added)
$$;

CREATE FUNCTION api_key_revoke(p_id uuid, p_actor text, p_reason text)
    RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH revoked AS (
        UPDATE api_keys SET revoked_at = now(), revoked_by = p_actor, revoke_reason = p_reason
        WHERE id = p_id AND revoked_at IS NULL RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM revoked)
$$;

CREATE FUNCTION api_key_touch(p_ids uuid[], p_ats timestamptz[])
    RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, u.at)
    FROM unnest(p_ids, p_ats) AS u(id, at) WHERE k.id = u.id
$$;

REVOKE ALL ON FUNCTION api_key_issue, api_key_revoke, api_key_touch FROM PUBLIC;

-- The grants to Postgres:AppRole are made at every start (DatabaseMigrator.GrantAppRole), so that a role created after
-- this migration gets its rights too.
