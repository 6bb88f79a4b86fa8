-- The shares of a shared cost add up to 100% in each year.
-- Column: share_pct
SELECT programme_id, cost_item, financial_year, sum(share_pct) AS total_pct
FROM cost_share GROUP BY programme_id, cost_item, financial_year HAVING abs(sum(share_pct) - 100) > 0.01
