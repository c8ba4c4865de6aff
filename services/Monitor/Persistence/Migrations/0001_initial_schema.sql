-- Entity status: one row per account / configuration set / tenant that ever left 'healthy'.
CREATE TABLE entity_status (
    scope        text        NOT NULL,
    entity_id    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('healthy', 'under_review', 'paused')),
    status_seq   integer     NOT NULL,
    rule         text,
    reason       text,
    since        timestamptz NOT NULL,
    decision_id  uuid,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, entity_id)
);

-- Every decision ever published; decision_id is deterministic, so replays insert nothing.
CREATE TABLE decisions (
    decision_id  uuid        PRIMARY KEY,
    scope        text        NOT NULL,
    entity_id    text        NOT NULL,
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    rule         text        NOT NULL,
    pillar       text        NOT NULL,
    sequence     integer     NOT NULL,
    reason       text,
    evidence     jsonb       NOT NULL,
    at           timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_entity_at ON decisions (scope, entity_id, at DESC);

-- Review periods opened by 'under_review' decisions.
CREATE TABLE review_cases (
    id           uuid        PRIMARY KEY,
    scope        text        NOT NULL,
    entity_id    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'healed', 'escalated', 'resolved')),
    rule         text        NOT NULL,
    opened_at    timestamptz NOT NULL,
    deadline     timestamptz NOT NULL,
    closed_at    timestamptz,
    evidence     jsonb       NOT NULL,
    notes        jsonb       NOT NULL DEFAULT '[]'::jsonb
);
CREATE UNIQUE INDEX review_cases_one_open ON review_cases (scope, entity_id) WHERE status = 'open';

-- Latest window statistics per account, for the API. 'version' only grows: stale snapshots are ignored.
CREATE TABLE account_stats (
    account_id   text        PRIMARY KEY,
    status       text        NOT NULL,
    version      bigint      NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    window_seconds bigint    NOT NULL,
    totals       jsonb       NOT NULL,
    rates        jsonb       NOT NULL,
    by_provider  jsonb       NOT NULL,
    thresholds   jsonb       NOT NULL,
    late_events  bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Message traces: the attempt and every event of a message, once each.
CREATE TABLE message_events (
    message_id   text        NOT NULL,
    event_key    text        NOT NULL,
    account_id   text        NOT NULL,
    kind         text        NOT NULL,
    at           timestamptz NOT NULL,
    detail       jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, event_key)
);

-- Send requests the platform refused: they have no message id and produce no SES events.
CREATE TABLE failed_attempts (
    attempt_key  text        PRIMARY KEY,
    account_id   text        NOT NULL,
    at           timestamptz NOT NULL,
    error_code   text,
    detail       jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX failed_attempts_account_at ON failed_attempts (account_id, at DESC);
