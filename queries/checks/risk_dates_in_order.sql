-- A risk's dates run in order: raised, then last reviewed, then next review; an open risk has a
-- next review date (the Risks page lists overdue reviews first).
-- Column: next_review_date
SELECT risk_id, raised_date, last_reviewed_date, next_review_date, CAST(status AS VARCHAR) AS status
FROM risk
WHERE last_reviewed_date < raised_date
   OR next_review_date <= last_reviewed_date
   OR (status = 'open' AND next_review_date IS NULL)
