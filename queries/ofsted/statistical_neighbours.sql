-- Purpose: each children's-services council's ten statistical neighbours (DfE 2025 model), named.
-- Grain: one row per council per neighbour rank.
-- Parameters: none.
SELECT
    sn.ons_code, sn.neighbour_rank, sn.neighbour_ons_code, n.authority_name AS neighbour_name,
    sn.closeness, sn.source
FROM statistical_neighbour AS sn
JOIN authority AS n ON n.ons_code = sn.neighbour_ons_code
ORDER BY sn.ons_code, sn.neighbour_rank
