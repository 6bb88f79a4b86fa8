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

-- all_sources() and source_counts() are data/schema.sql's table macros, made functions of the same bodies (queries/schema.py).
