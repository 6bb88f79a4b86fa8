-- Every no-detriment indicator has observations (those following DfE measures are filled by the build).
SELECT i.indicator_id FROM indicator AS i
WHERE i.purpose = 'no_detriment' AND NOT EXISTS (SELECT 1 FROM indicator_value AS v WHERE v.indicator_id = i.indicator_id)
