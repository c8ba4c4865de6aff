-- DMARC aggregate reports (RFC 7489), one row per report record: what each reporting organisation saw of mail sent as a
-- domain on a day. A report read twice writes nothing new (its organisation and report id identify it).
CREATE TABLE dmarc_report_rows (
    org_name     text        NOT NULL,
    report_id    text        NOT NULL,
    row_no       int         NOT NULL,
    domain       text        NOT NULL,
    day          date        NOT NULL,
    source_ip    text        NOT NULL,
    messages     bigint      NOT NULL,
    disposition  text        NOT NULL,
    header_from  text        NOT NULL,
    spf_pass     boolean     NOT NULL,
    spf_aligned  boolean     NOT NULL,
    dkim_pass    boolean     NOT NULL,
    dkim_aligned boolean     NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_name, report_id, row_no)
);
CREATE INDEX dmarc_report_rows_domain_day ON dmarc_report_rows (domain, day DESC);

-- Findings about a sending domain or IP, across accounts (dimension entities are 'account/value', DMARC's are the domain).
CREATE INDEX findings_scope_value_at ON findings (scope, (regexp_replace(entity_id, '^.*/', '')), at DESC);
