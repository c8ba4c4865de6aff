-- The event time the stream had reached on an entity's partition when its statistics were published: reads carry it
-- as asOf, so figures that stopped moving because the stream stopped show as stale.
ALTER TABLE account_stats ADD COLUMN as_of timestamptz;
ALTER TABLE entity_stats ADD COLUMN as_of timestamptz;
