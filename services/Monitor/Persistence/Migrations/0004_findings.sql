-- Findings: warnings with evidence (provider feedback, ...). They never change a status.
CREATE TABLE findings (
    finding_id   uuid        PRIMARY KEY,
    scope        text        NOT NULL,
    entity_id    text        NOT NULL,
    rule         text        NOT NULL,
    pillar       text        NOT NULL,
    provider     text,
    status       text        NOT NULL,
    reason       text,
    evidence     jsonb       NOT NULL,
    at           timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX findings_entity_at ON findings (entity_id, at DESC);
CREATE INDEX findings_pillar_at ON findings (pillar, at DESC);
