-- Purpose: who pays what of a programme's shared posts and costs (e.g. the shared Chief
--          Executive's salary 50/50), by financial year, with the source of every figure.
-- Grain: one row per cost share (programme × cost item × council × financial year).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    c.cost_share_id,
    c.cost_item,
    c.ons_code,
    a.authority_name AS council_name,
    c.financial_year,
    CAST(c.share_pct AS DOUBLE PRECISION) AS share_pct,
    CAST(c.amount_gbp AS DOUBLE PRECISION) AS amount_gbp,
    c.start_date,
    c.end_date,
    c.source
FROM cost_share AS c
JOIN authority AS a ON a.ons_code = c.ons_code
WHERE c.programme_id = $programme_id
ORDER BY c.cost_item, c.financial_year, a.authority_name
