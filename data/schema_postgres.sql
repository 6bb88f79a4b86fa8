-- Improvement Monitor on PostgreSQL: what data/schema.sql leaves to DuckDB.
-- The tables, keys, foreign keys, unique rules, checks and enums are data/schema.sql's own statements,
-- run on PostgreSQL as they are (queries/schema.py; a test compares both databases' constraints).
-- This file defines, as PostgreSQL functions, the two DuckDB functions those statements use (and
-- DuckDB's DOUBLE as a name of PostgreSQL's double precision), and the
-- SQL twins of monitor/sources/citation.py that data/schema.sql defines as DuckDB macros (same
-- grammar; a test checks the Python rule, the DuckDB macros and these functions agree on every source).
-- Bodies are plain SQL, so PostgreSQL inlines them into the queries that call them.

-- DuckDB's name for a double precision number, for queries that cast to it (CAST(x AS DOUBLE)).
CREATE DOMAIN double AS double precision;

-- DuckDB's regexp_full_match: the whole string matches the pattern.
CREATE FUNCTION regexp_full_match(string text, pattern text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT string ~ ('^(?:' || pattern || ')$') $$;

-- DuckDB's contains: the string holds the other.
CREATE FUNCTION contains(string text, search text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(string, search) > 0 $$;

CREATE FUNCTION source_base(source text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(trim(source), ' \((derived: [a-z0-9-]+|[^()]*\S illustrative)\)$', '') $$;

CREATE FUNCTION cited_paper(source text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN regexp_full_match(source_base(source),
        '[0-9]{3} (para [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?(, [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?)*'
        || '|(rec |§)[0-9]+([–-][0-9]+)?(, [0-9]+([–-][0-9]+)?)*)'
        || '(, (para [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?(, [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?)*'
        || '|(rec |§)[0-9]+([–-][0-9]+)?(, [0-9]+([–-][0-9]+)?)*))*')
    THEN left(trim(source), 3) END $$;

-- The passage ids a paper citation names (both ends of a range), e.g. {§1, rec 1, rec 2}: each item
-- of the list after the paper number gives its numbers, read as passages of the last kind named
-- ("para ", "rec " or "§") up to and including that item.
CREATE FUNCTION cited_passages(source text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN cited_paper(source) IS NOT NULL THEN coalesce((
        SELECT array_agg(CASE item.kind WHEN 'para ' THEN ref.n WHEN 'rec ' THEN 'rec ' || ref.n ELSE '§' || ref.n END
                         ORDER BY item.i, m.j)
        FROM (SELECT i, part, substring(array_to_string(parts[1:i::int], ', ') FROM '.*(para |rec |§)') AS kind
              FROM (SELECT string_to_array(substr(source_base(source), 5), ', ') AS parts) AS split,
                   unnest(split.parts) WITH ORDINALITY AS p(part, i)) AS item,
             regexp_matches(item.part, '[0-9]+(?:\.[0-9]+)*', 'g') WITH ORDINALITY AS m(found, j),
             LATERAL (SELECT m.found[1] AS n) AS ref), '{}'::text[]) END $$;

CREATE FUNCTION provenance(source text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN source IS NULL OR trim(source) = '' THEN NULL
        WHEN lower(trim(source)) = 'illustrative' OR trim(source) ~ ' illustrative\)$' THEN 'illustrative'
        WHEN trim(source) ~ ' \(derived: [a-z0-9-]+\)$' THEN
            CASE WHEN cited_paper(source) IS NOT NULL THEN 'derived from a paper' END
        WHEN regexp_full_match(trim(source), '[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.(csv|xlsx)')
          OR regexp_full_match(trim(source), 'https://www\.gov\.uk/[A-Za-z0-9/_.-]+') THEN 'published'
        WHEN cited_paper(source) IS NOT NULL THEN 'council paper'
    END $$;

-- Every row that carries a source, as (table, key, source): what About counts and the data checks
-- read, in one place (data/schema.sql's all_sources(); the same rows and keys).
CREATE FUNCTION all_sources() RETURNS TABLE (table_name text, row_key text, source text)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT 'authority'::text, ons_code::text, source::text FROM authority
    UNION ALL SELECT 'statistical_neighbour', ons_code || '/' || neighbour_rank, source FROM statistical_neighbour
    UNION ALL SELECT 'programme', programme_id, source FROM programme
    UNION ALL SELECT 'programme_party', programme_id || '/' || ons_code || '/' || role, source FROM programme_party
    UNION ALL SELECT 'workstream', workstream_id, source FROM workstream
    UNION ALL SELECT 'milestone', milestone_id, source FROM milestone
    UNION ALL SELECT 'milestone_snapshot', milestone_id || '/' || reporting_date, source FROM milestone_snapshot
    UNION ALL SELECT 'ofsted_inspection', inspection_id, source FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_judgement', inspection_id || '/' || judgement_area, source FROM ofsted_judgement
    UNION ALL SELECT 'intervention_event', event_id, source FROM intervention_event
    UNION ALL SELECT 'dfe_statistic', measure || '/' || area_code || '/' || time_period, source FROM dfe_statistic
    UNION ALL SELECT 'indicator', indicator_id, source FROM indicator
    UNION ALL SELECT 'indicator_value', indicator_id || '/' || period_end_date, source FROM indicator_value
    UNION ALL SELECT 'commissioner_report', report_id, source FROM commissioner_report
    UNION ALL SELECT 'saving', saving_id, source FROM saving
    UNION ALL SELECT 'cost_share', cost_share_id, source FROM cost_share
    UNION ALL SELECT 'appraisal', appraisal_id, source FROM appraisal
    UNION ALL SELECT 'appraisal_option', option_id, source FROM appraisal_option
    UNION ALL SELECT 'appraisal_criterion', criterion_id, source FROM appraisal_criterion
    UNION ALL SELECT 'criterion_weight', criterion_id || '/' || ons_code, source FROM criterion_weight
    UNION ALL SELECT 'option_rating', option_id || '/' || criterion_id, source FROM option_rating
    UNION ALL SELECT 'risk', risk_id, source FROM risk
    UNION ALL SELECT 'risk_snapshot', risk_id || '/' || reporting_date, source FROM risk_snapshot
    UNION ALL SELECT 'key_date', key_date_id, source FROM key_date $$;
