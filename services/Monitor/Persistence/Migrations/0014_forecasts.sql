-- Where each entity's evaluated rates are heading (the expected crossing of the review and pause thresholds), as the stream
-- published it with the statistics: entity reads carry it as forecast, and the forecast gauge counts the crossings due.
ALTER TABLE account_stats ADD COLUMN forecast jsonb;
ALTER TABLE entity_stats ADD COLUMN forecast jsonb;
