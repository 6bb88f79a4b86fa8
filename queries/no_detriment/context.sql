-- Purpose: context for one lending council's no-detriment indicators — the same DfE measures, from
--          the same files, for the council itself, its ten statistical neighbours and England, so a
--          change every council saw is not blamed on the partnership.
-- Grain: one row per DfE measure per area (council, neighbour or England) per year.
-- Parameters: $programme_id (programme.programme_id), $ons_code (authority.ons_code of the council).
WITH measures AS (
    SELECT DISTINCT dfe_measure AS measure
    FROM indicator
    WHERE purpose = 'no_detriment' AND programme_id = $programme_id AND ons_code = $ons_code
      AND dfe_measure IS NOT NULL
),
areas AS (
    SELECT $ons_code AS area_code, 'council' AS area_role, 0 AS neighbour_rank
    UNION ALL
    SELECT neighbour_ons_code, 'neighbour', neighbour_rank
    FROM statistical_neighbour
    WHERE ons_code = $ons_code
)
SELECT s.measure, s.area_code, a.authority_name AS area_name, areas.area_role, areas.neighbour_rank,
       s.time_period, s.value, s.suppression_marker, s.source
FROM dfe_statistic AS s
JOIN measures USING (measure)
JOIN areas USING (area_code)
JOIN authority AS a ON a.ons_code = s.area_code
WHERE s.level = 'local authority'
UNION ALL
SELECT s.measure, s.area_code, 'England', 'England', NULL, s.time_period, s.value, s.suppression_marker, s.source
FROM dfe_statistic AS s
JOIN measures USING (measure)
WHERE s.level = 'national'
ORDER BY measure, area_role, neighbour_rank, time_period
