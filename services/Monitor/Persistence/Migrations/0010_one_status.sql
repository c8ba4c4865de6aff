-- An entity's status has one source: entity_status, written from the stream's decisions. Account statistics carried the
-- status of their snapshot too, and reads had to choose between the two.
ALTER TABLE account_stats DROP COLUMN status;
