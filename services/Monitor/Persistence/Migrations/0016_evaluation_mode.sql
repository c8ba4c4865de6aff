-- Which measure produced an account's rates: null for the evaluation window, 'representativeVolume' with the volume it is
-- measured over (the window then spans as far back as that volume reaches).
ALTER TABLE account_stats ADD COLUMN window_mode text;
ALTER TABLE account_stats ADD COLUMN window_volume bigint;
