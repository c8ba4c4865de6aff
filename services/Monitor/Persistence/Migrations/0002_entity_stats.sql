-- Windowed statistics per account dimension (the account itself, configuration sets, tenants, sending
-- domains, pools, IPs), each window with its per-provider split and response-rule counts.
-- Domain and IP views across accounts sum these rows.
CREATE TABLE entity_stats (
    account_id   text        NOT NULL,
    kind         text        NOT NULL,
    value        text        NOT NULL,
    version      bigint      NOT NULL,
    late_events  bigint      NOT NULL DEFAULT 0,
    short_window jsonb       NOT NULL,
    long_window  jsonb       NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, kind, value)
);
CREATE INDEX entity_stats_kind_value ON entity_stats (kind, value);
