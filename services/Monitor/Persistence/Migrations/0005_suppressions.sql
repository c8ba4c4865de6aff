-- Account-level suppression list (projection of reputation.suppressions). Walked by email with keyset paging.
CREATE TABLE suppressions (
    account_id  text        NOT NULL,
    email       text        NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('BOUNCE', 'COMPLAINT', 'MANUAL')),
    message_id  text,
    actor       text        NOT NULL,
    note        text,
    added_at    timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, email)
);
CREATE INDEX suppressions_account_reason ON suppressions (account_id, reason, email);
