-- An account's rates as measured at each hour (the last snapshot of the hour wins), so that the console can draw them
-- over 24 h and 7 d against the review and pause lines. Eight days are kept per account (by event time).
CREATE TABLE account_rate_history (
    account_id     text        NOT NULL,
    hour           timestamptz NOT NULL,
    sent           bigint      NOT NULL,
    bounce_rate    float8      NOT NULL,
    complaint_rate float8      NOT NULL,
    PRIMARY KEY (account_id, hour)
);
