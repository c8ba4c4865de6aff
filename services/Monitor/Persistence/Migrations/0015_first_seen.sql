-- The earliest event time counted for each entity: an IP's warm-up day is counted from it (GET /v1/ips/{ip}/warmup).
ALTER TABLE entity_stats ADD COLUMN first_seen timestamptz;
