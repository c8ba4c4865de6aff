-- ASP.NET Core data protection keys (XML, as the framework writes them): the console's session cookies and
-- anti-forgery tokens are encrypted with them, so every instance must read the same keys and they must outlive a
-- restart. Keys are added, never updated; the framework rotates them and ignores expired ones.
CREATE TABLE data_protection_keys (
    id            bigserial   PRIMARY KEY,
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
