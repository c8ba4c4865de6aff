-- Records a projection could not write for a permanent reason (a constraint, data the schema refuses): kept here and in
-- the DLQ with the reason, so that one record never stops the projection.
CREATE TABLE projection_failures (
    id               bigserial   PRIMARY KEY,
    kind             text        NOT NULL,
    source_topic     text        NOT NULL,
    source_partition int         NOT NULL,
    source_offset    bigint      NOT NULL,
    record_key       text,
    reason           text        NOT NULL,
    sql_state        text,
    record           text        NOT NULL,
    failed_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_topic, source_partition, source_offset)
);

-- A review superseded by the stream's newer decision (the database had an open review the stream no longer holds).
ALTER TABLE review_cases DROP CONSTRAINT review_cases_status_check;
ALTER TABLE review_cases ADD CONSTRAINT review_cases_status_check
    CHECK (status IN ('open', 'healed', 'escalated', 'resolved', 'superseded'));
