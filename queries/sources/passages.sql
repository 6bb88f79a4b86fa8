-- Purpose: one paper's passages in reading order, as the reader shows them.
-- Grain: one row per passage (paper_passage).
-- Parameters: $paper (paper.paper, e.g. '003').
SELECT passage_id, passage_order, heading, passage_text
FROM paper_passage
WHERE paper = $paper
ORDER BY passage_order
