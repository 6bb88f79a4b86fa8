-- Purpose: what each council pays of a programme's shared posts and support costs, by financial
--          year — the lending council's shares and its partners' (so an equal split can be told),
--          with the kind of cost and the source of every figure: the financial no-detriment check.
-- Grain: one row per cost share (programme × cost item × council × financial year).
-- Parameters: $programme_id (programme.programme_id).
SELECT
    c.cost_share_id, c.cost_item, c.cost_kind, c.ons_code, a.authority_name, c.financial_year,
    CAST(c.share_pct AS DOUBLE) AS share_pct, CAST(c.amount_gbp AS DOUBLE) AS amount_gbp, c.source
FROM cost_share AS c
JOIN authority AS a ON a.ons_code = c.ons_code
WHERE c.programme_id = $programme_id
ORDER BY c.financial_year, c.cost_item, a.authority_name
