-- Append-only record of operator actions through the API: who, when, what, why.
CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    scope       text        NOT NULL,
    entity_id   text        NOT NULL,
    reason      text,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity ON audit_log (scope, entity_id, at DESC);
CREATE INDEX review_cases_status ON review_cases (status, deadline);

-- Operator decisions remember who asked and which command caused them (so the API can wait for its effect).
ALTER TABLE decisions ADD COLUMN actor text NOT NULL DEFAULT 'rule';
ALTER TABLE decisions ADD COLUMN command_id text;
CREATE INDEX decisions_command ON decisions (command_id) WHERE command_id IS NOT NULL;
