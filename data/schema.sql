-- Improvement Monitor: the whole data model, enforced by DuckDB itself.
-- Conventions: <thing>_id keys, <event>_date dates, is_* booleans, units in names (_gbp, _pct, _days).
-- Every user-facing row carries `source`: a seed paper and paragraph ("001 para 8"), an official
-- file name, or the word 'illustrative'.
-- DuckDB has no ON DELETE CASCADE and cannot ALTER-add a CHECK: constraints are declared here once.

CREATE TYPE authority_tier AS ENUM ('county', 'district', 'unitary', 'metropolitan district', 'London borough');
CREATE TYPE programme_kind AS ENUM ('corporate improvement', 'DfE commission', 'shared management', 'strategic alliance', 'MOU collaboration');
CREATE TYPE programme_status AS ENUM ('proposed', 'active', 'closed');
CREATE TYPE party_role AS ENUM ('supported council', 'improvement partner', 'commissioner', 'partner', 'lead');
CREATE TYPE milestone_status AS ENUM ('not started', 'on track', 'at risk', 'off track', 'complete', 'dropped');
CREATE TYPE inspection_kind AS ENUM ('full inspection', 'short inspection', 'focused visit', 'monitoring visit', 'JTAI');
CREATE TYPE ofsted_grade AS ENUM ('Outstanding', 'Good', 'Requires improvement to be good', 'Inadequate');
CREATE TYPE intervention_kind AS ENUM ('improvement notice issued', 'improvement notice revoked',
    'statutory direction issued', 'statutory direction revised', 'statutory direction lifted',
    'commissioner appointed', 'improvement adviser appointed', 'review at 6 months', 'review at 12 months',
    'quarterly report', 'other');
CREATE TYPE framework_status AS ENUM ('superseded', 'in force', 'consultation');
CREATE TYPE reorganisation_status AS ENUM ('done', 'published', 'proposed');
CREATE TYPE indicator_purpose AS ENUM ('improvement', 'no_detriment');
CREATE TYPE improvement_direction AS ENUM ('increase', 'decrease', 'neutral');
CREATE TYPE report_status AS ENUM ('draft', 'submitted');
CREATE TYPE delivery_confidence AS ENUM ('Green', 'Amber/Green', 'Amber', 'Amber/Red', 'Red');
CREATE TYPE appraisal_rating AS ENUM ('high', 'medium', 'low');
CREATE TYPE risk_status AS ENUM ('open', 'closed');
CREATE TYPE key_date_kind AS ENUM ('DfE report due', 'board', 'review', 'break clause', 'termination clause', 'programme start', 'programme end', 'other');
CREATE TYPE change_action AS ENUM ('insert', 'update', 'delete', 'refused');
CREATE TYPE user_role AS ENUM ('chief executive', 'commissioner', 'programme officer', 'scrutiny member', 'administrator');
CREATE TYPE area_level AS ENUM ('national', 'regional', 'local authority');

CREATE TABLE schema_version (
    schema_version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Bumped by every write so cached reads know to refresh.
CREATE TABLE data_version (
    data_version_id INTEGER PRIMARY KEY CHECK (data_version_id = 1),
    data_version BIGINT NOT NULL
);

-- Every file the database was built from: the About page lists these.
CREATE TABLE data_source (
    source_file VARCHAR PRIMARY KEY,
    publisher VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    published_date DATE,
    licence VARCHAR NOT NULL,
    source_url VARCHAR,
    loaded_into VARCHAR NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count >= 0),
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE authority (
    ons_code VARCHAR PRIMARY KEY CHECK (regexp_full_match(ons_code, 'E[0-9]{8}')),
    dfe_code VARCHAR UNIQUE CHECK (dfe_code IS NULL OR regexp_full_match(dfe_code, '[0-9]{3}')),
    ofsted_urn VARCHAR,
    authority_name VARCHAR NOT NULL,
    tier authority_tier NOT NULL,
    region_name VARCHAR,
    upper_tier_ons_code VARCHAR,
    is_childrens_services BOOLEAN NOT NULL,
    abolished_date DATE,
    successor_ons_code VARCHAR,
    source VARCHAR NOT NULL
);

CREATE TABLE statistical_neighbour (
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    neighbour_rank INTEGER NOT NULL CHECK (neighbour_rank BETWEEN 1 AND 10),
    neighbour_ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    closeness VARCHAR,
    source VARCHAR NOT NULL,
    PRIMARY KEY (ons_code, neighbour_rank),
    CHECK (neighbour_ons_code <> ons_code)
);

CREATE TABLE programme (
    programme_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(programme_id, '[a-z0-9-]+')),
    programme_name VARCHAR NOT NULL,
    kind programme_kind NOT NULL,
    legal_basis VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE,
    status programme_status NOT NULL,
    summary VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (status <> 'closed' OR end_date IS NOT NULL)
);

CREATE TABLE programme_party (
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    role party_role NOT NULL,
    -- The council that lends people or services and has promised its residents no detriment.
    is_lending BOOLEAN NOT NULL DEFAULT false,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (programme_id, ons_code, role)
);

-- Councils a programme's Ofsted view sets beside its supported council, beyond DfE's statistical
-- neighbours: e.g. an earlier partnership of the same improvement partner, with why and its source.
CREATE TABLE programme_comparator (
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    reason VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (programme_id, ons_code)
);

CREATE TABLE workstream (
    workstream_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    workstream_name VARCHAR NOT NULL,
    is_primary BOOLEAN NOT NULL,
    lead_ons_code VARCHAR REFERENCES authority (ons_code),
    board VARCHAR,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, workstream_name)
);

CREATE TABLE milestone (
    milestone_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    workstream_id VARCHAR NOT NULL REFERENCES workstream (workstream_id),
    milestone_title VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    baseline_due_date DATE NOT NULL,
    forecast_due_date DATE,
    completed_date DATE,
    status milestone_status NOT NULL,
    evidence VARCHAR,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'complete') = (completed_date IS NOT NULL))
);

-- Status and forecast of each milestone as reported at each reporting date.
CREATE TABLE milestone_snapshot (
    milestone_id VARCHAR NOT NULL REFERENCES milestone (milestone_id),
    reporting_date DATE NOT NULL,
    status milestone_status NOT NULL,
    forecast_due_date DATE,
    source VARCHAR NOT NULL,
    PRIMARY KEY (milestone_id, reporting_date)
);

-- Ofsted's inspection frameworks and their versions (data/reference/ofsted_frameworks.csv): which
-- version applies is decided by the framework and the inspection date (valid_from .. valid_until).
CREATE TABLE ofsted_framework_version (
    framework_version VARCHAR PRIMARY KEY,
    framework VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    valid_from DATE,
    valid_until DATE,
    status framework_status NOT NULL,
    -- The judgement a page shows first; NULL when the version grades no overall judgement (ILACS 2026).
    headline_area VARCHAR,
    source VARCHAR NOT NULL,
    UNIQUE (framework_version, framework),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
);

-- The judgement areas each version grades, in Ofsted's wording and order
-- (data/reference/ofsted_framework_areas.csv).
CREATE TABLE ofsted_framework_area (
    framework_version VARCHAR NOT NULL REFERENCES ofsted_framework_version (framework_version),
    judgement_area VARCHAR NOT NULL,
    area_order INTEGER NOT NULL CHECK (area_order >= 1),
    source VARCHAR NOT NULL,
    PRIMARY KEY (framework_version, judgement_area),
    UNIQUE (framework_version, area_order)
);

CREATE TABLE ofsted_inspection (
    inspection_id VARCHAR PRIMARY KEY,
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    framework VARCHAR NOT NULL,
    framework_version VARCHAR NOT NULL,
    inspection_type VARCHAR NOT NULL,
    kind inspection_kind NOT NULL,
    inspection_date DATE,
    published_date DATE,
    ofsted_region VARCHAR,
    visit_theme VARCHAR,
    web_link VARCHAR,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (framework_version, framework) REFERENCES ofsted_framework_version (framework_version, framework),
    CHECK (inspection_date IS NOT NULL OR published_date IS NOT NULL),
    CHECK (published_date IS NULL OR inspection_date IS NULL OR published_date >= inspection_date)
);

CREATE TABLE ofsted_judgement (
    inspection_id VARCHAR NOT NULL REFERENCES ofsted_inspection (inspection_id),
    judgement_area VARCHAR NOT NULL,
    grade ofsted_grade NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (inspection_id, judgement_area)
);

-- DfE intervention in a council, as dated events: improvement notices, statutory directions
-- (issued, revised, lifted), commissioner and adviser appointments, reviews, quarterly reports.
CREATE TABLE intervention_event (
    event_id VARCHAR PRIMARY KEY,
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    event_date DATE NOT NULL,
    kind intervention_kind NOT NULL,
    summary VARCHAR NOT NULL,
    -- The published document (a web address, never a spreadsheet formula); NULL when none is public.
    document_url VARCHAR CHECK (document_url IS NULL OR regexp_full_match(document_url, 'https://[^\s"''<>]+')),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

-- Councils that end or are proposed to end (data/reference/reorganisation.csv). An abolition that
-- has happened lives in authority.abolished_date / successor_ons_code; a 'done' row here must agree.
CREATE TABLE reorganisation (
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    vesting_date DATE NOT NULL,
    area_name VARCHAR NOT NULL,
    status reorganisation_status NOT NULL,
    successor_ons_code VARCHAR REFERENCES authority (ons_code),
    -- The successor's name where it has no code yet (East Surrey Council), or where there are several.
    successor_name VARCHAR,
    source VARCHAR NOT NULL,
    PRIMARY KEY (ons_code, vesting_date)
);

-- Published DfE series for every area and year, as loaded (suppressed cells kept as a marker).
CREATE TABLE dfe_statistic (
    measure VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    level area_level NOT NULL,
    time_period INTEGER NOT NULL CHECK (time_period BETWEEN 2000 AND 2100),
    value DOUBLE,
    suppression_marker VARCHAR CHECK (suppression_marker IN ('x', 'c', 'u', 'z', 'low')),
    source VARCHAR NOT NULL,
    PRIMARY KEY (measure, area_code, time_period),
    CHECK ((value IS NULL) = (suppression_marker IS NOT NULL))
);

CREATE TABLE indicator (
    indicator_id VARCHAR PRIMARY KEY,
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    programme_id VARCHAR REFERENCES programme (programme_id),
    indicator_name VARCHAR NOT NULL,
    purpose indicator_purpose NOT NULL,
    unit VARCHAR NOT NULL,
    improvement improvement_direction NOT NULL,
    -- The DfE measure in dfe_statistic this indicator follows, for neighbour and England context.
    dfe_measure VARCHAR,
    baseline_value DOUBLE,
    baseline_period VARCHAR,
    baseline_end_date DATE,
    target_value DOUBLE,
    tolerance_value DOUBLE CHECK (tolerance_value IS NULL OR tolerance_value >= 0),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE indicator_value (
    indicator_id VARCHAR NOT NULL REFERENCES indicator (indicator_id),
    period_label VARCHAR NOT NULL,
    period_end_date DATE NOT NULL,
    value DOUBLE,
    note VARCHAR,
    source VARCHAR NOT NULL,
    PRIMARY KEY (indicator_id, period_end_date),
    UNIQUE (indicator_id, period_label)
);

-- A published value an officer leaves out of its indicator's SPC limits ("ghosting", as Making Data
-- Count allows), with the reason: the value itself stays as published; the point is drawn hollow and
-- the verdict says so. Removing the row brings the point back.
CREATE TABLE indicator_value_exclusion (
    indicator_id VARCHAR NOT NULL,
    period_end_date DATE NOT NULL,
    reason VARCHAR NOT NULL CHECK (length(trim(reason)) >= 10),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (indicator_id, period_end_date),
    FOREIGN KEY (indicator_id, period_end_date) REFERENCES indicator_value (indicator_id, period_end_date)
);

CREATE TABLE commissioner_report (
    report_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    quarter_label VARCHAR NOT NULL CHECK (regexp_full_match(quarter_label, '[0-9]{4}-Q[1-4]')),
    reporting_date DATE NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    corrects_report_id VARCHAR REFERENCES commissioner_report (report_id),
    author VARCHAR NOT NULL,
    status report_status NOT NULL,
    proposed_confidence delivery_confidence,
    confidence delivery_confidence,
    confidence_reason VARCHAR,
    council_confidence delivery_confidence,
    council_confidence_reason VARCHAR,
    -- JSON object: section name -> narrative text.
    narrative_json VARCHAR NOT NULL DEFAULT '{}',
    -- JSON of the assembled figures, frozen at submission.
    figures_json VARCHAR,
    submitted_by VARCHAR,
    submitted_at TIMESTAMP,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    -- Who submitted it as they were at that moment (name and role), and the SHA-256 of the Word
    -- file rendered from the frozen record at submission.
    submitted_by_name VARCHAR,
    submitted_by_role VARCHAR,
    docx_sha256 VARCHAR CHECK (docx_sha256 IS NULL OR length(docx_sha256) = 64),
    UNIQUE (programme_id, quarter_label, version),
    CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
    CHECK (status = 'draft' OR (submitted_by IS NOT NULL AND figures_json IS NOT NULL AND confidence IS NOT NULL))
);

-- Who a programme's quarterly report goes to and who writes it: DfE (the commissioner's report,
-- with an annual report to the improvement partner's council) or the programme's governing board.
CREATE TABLE report_audience (
    programme_id VARCHAR PRIMARY KEY REFERENCES programme (programme_id),
    audience VARCHAR NOT NULL CHECK (audience IN ('DfE', 'board')),
    report_to VARCHAR NOT NULL,
    author_role VARCHAR NOT NULL CHECK (author_role IN ('commissioner', 'programme officer')),
    author_title VARCHAR NOT NULL,
    annual_to VARCHAR,
    annual_ons_code VARCHAR REFERENCES authority (ons_code),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK ((annual_to IS NULL) = (annual_ons_code IS NULL))
);

CREATE TABLE saving (
    saving_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    workstream_id VARCHAR REFERENCES workstream (workstream_id),
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    financial_year VARCHAR NOT NULL CHECK (regexp_full_match(financial_year, '[0-9]{4}/[0-9]{2}')
        AND (CAST(substr(financial_year, 1, 4) AS INTEGER) + 1) % 100 = CAST(substr(financial_year, 6, 2) AS INTEGER)),
    category VARCHAR NOT NULL,
    is_cashable BOOLEAN NOT NULL,
    is_recurring BOOLEAN NOT NULL,
    planned_gbp DECIMAL(14, 2) NOT NULL CHECK (planned_gbp >= 0),
    forecast_gbp DECIMAL(14, 2) CHECK (forecast_gbp >= 0),
    delivered_gbp DECIMAL(14, 2) CHECK (delivered_gbp >= 0),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, workstream_id, ons_code, financial_year, category)
);

CREATE TABLE cost_share (
    cost_share_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    cost_item VARCHAR NOT NULL,
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    financial_year VARCHAR NOT NULL CHECK (regexp_full_match(financial_year, '[0-9]{4}/[0-9]{2}')),
    share_pct DECIMAL(5, 2) NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
    amount_gbp DECIMAL(14, 2) NOT NULL CHECK (amount_gbp >= 0),
    -- 'shared post': a post the councils share, each paying for its own use (an equal split is its
    -- own use); 'support cost': a cost of supporting a partner, all of a council's share a cost to it.
    cost_kind VARCHAR NOT NULL DEFAULT 'support cost' CHECK (cost_kind IN ('shared post', 'support cost')),
    start_date DATE,
    end_date DATE,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, cost_item, ons_code, financial_year)
);

CREATE TABLE appraisal (
    appraisal_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    appraisal_title VARCHAR NOT NULL,
    appraisal_date DATE NOT NULL,
    method VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE appraisal_option (
    option_id VARCHAR PRIMARY KEY,
    appraisal_id VARCHAR NOT NULL REFERENCES appraisal (appraisal_id),
    option_name VARCHAR NOT NULL,
    description VARCHAR,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (appraisal_id, option_name)
);

CREATE TABLE appraisal_criterion (
    criterion_id VARCHAR PRIMARY KEY,
    appraisal_id VARCHAR NOT NULL REFERENCES appraisal (appraisal_id),
    criterion_name VARCHAR NOT NULL,
    description VARCHAR,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (appraisal_id, criterion_name)
);

CREATE TABLE criterion_weight (
    criterion_id VARCHAR NOT NULL REFERENCES appraisal_criterion (criterion_id),
    ons_code VARCHAR NOT NULL REFERENCES authority (ons_code),
    weight DOUBLE NOT NULL CHECK (weight >= 0),
    set_by VARCHAR NOT NULL,
    set_date DATE NOT NULL,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (criterion_id, ons_code)
);

CREATE TABLE option_rating (
    option_id VARCHAR NOT NULL REFERENCES appraisal_option (option_id),
    criterion_id VARCHAR NOT NULL REFERENCES appraisal_criterion (criterion_id),
    rating appraisal_rating NOT NULL,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (option_id, criterion_id)
);

CREATE TABLE risk (
    risk_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    description VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    inherent_likelihood INTEGER NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact INTEGER NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    target_likelihood INTEGER NOT NULL CHECK (target_likelihood BETWEEN 1 AND 5),
    target_impact INTEGER NOT NULL CHECK (target_impact BETWEEN 1 AND 5),
    mitigation VARCHAR,
    status risk_status NOT NULL,
    raised_date DATE NOT NULL,
    last_reviewed_date DATE,
    next_review_date DATE,
    closed_date DATE,
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'closed') = (closed_date IS NOT NULL)),
    CHECK (closed_date IS NULL OR closed_date >= raised_date)
);

-- Likelihood and impact of each risk as reported at each reporting date: "movement since last quarter".
CREATE TABLE risk_snapshot (
    risk_id VARCHAR NOT NULL REFERENCES risk (risk_id),
    reporting_date DATE NOT NULL,
    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    status risk_status NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (risk_id, reporting_date)
);

CREATE TABLE key_date (
    key_date_id VARCHAR PRIMARY KEY,
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    due_date DATE NOT NULL,
    kind key_date_kind NOT NULL,
    title VARCHAR NOT NULL,
    notice_period_months INTEGER CHECK (notice_period_months IS NULL OR notice_period_months > 0),
    source VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE change_id_seq START 1;
CREATE TABLE change_log (
    change_id BIGINT PRIMARY KEY DEFAULT nextval('change_id_seq'),
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,
    action change_action NOT NULL,
    before_json VARCHAR,
    after_json VARCHAR,
    note VARCHAR,
    -- The programme the row belongs to (NULL for national and account rows): who may read the entry.
    programme_id VARCHAR
);

CREATE TABLE app_user (
    email VARCHAR PRIMARY KEY CHECK (contains(email, '@')),
    display_name VARCHAR NOT NULL,
    role user_role NOT NULL,
    -- The council a chief executive leads (their no-detriment indicators).
    ons_code VARCHAR REFERENCES authority (ons_code),
    is_active BOOLEAN NOT NULL DEFAULT true,
    -- When the person last signed out: every session signed in before then has ended, in every tab.
    signed_out_at TIMESTAMP,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE app_user_programme (
    email VARCHAR NOT NULL REFERENCES app_user (email),
    programme_id VARCHAR NOT NULL REFERENCES programme (programme_id),
    PRIMARY KEY (email, programme_id)
);

-- Sources (monitor/sources): the council papers split into addressable passages, the rules of
-- figures derived from a passage, documents cited by their GOV.UK address, and the release facts
-- of each official file. All built from data/papers/ and data/reference/; never edited in the app.

-- A seed paper, cited by its number ("000"); its title, publisher and date are in data_source.
CREATE TABLE paper (
    paper VARCHAR PRIMARY KEY CHECK (regexp_full_match(paper, '[0-9]{3}')),
    source_file VARCHAR NOT NULL UNIQUE REFERENCES data_source (source_file)
);

-- One addressable passage: the paper's own number ('2.3'), 'rec N' for a numbered
-- recommendation, or '§k' (its place in reading order) where the paper prints no number.
CREATE TABLE paper_passage (
    paper VARCHAR NOT NULL REFERENCES paper (paper),
    passage_id VARCHAR NOT NULL CHECK (regexp_full_match(passage_id, '[0-9]+(\.[0-9]+)*|rec [0-9]+|§[0-9]+')),
    passage_order INTEGER NOT NULL CHECK (passage_order >= 1),
    heading VARCHAR NOT NULL,
    passage_text VARCHAR NOT NULL CHECK (passage_text <> ''),
    PRIMARY KEY (paper, passage_id),
    UNIQUE (paper, passage_order)
);

-- A rule that turns a figure a passage gives into the figures of rows citing "(derived: id)".
CREATE TABLE derivation (
    derivation_id VARCHAR PRIMARY KEY CHECK (regexp_full_match(derivation_id, '[a-z0-9-]+')),
    figure VARCHAR NOT NULL,
    rule VARCHAR NOT NULL
);

-- A published document that rows cite by its address (DfE's statutory directions on GOV.UK).
CREATE TABLE published_document (
    url VARCHAR PRIMARY KEY CHECK (regexp_full_match(url, 'https://www\.gov\.uk/[A-Za-z0-9/_.-]+')),
    publisher VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    published_date DATE NOT NULL,
    licence VARCHAR NOT NULL,
    note VARCHAR NOT NULL
);

-- When each official file's publisher released it, to the precision known (a year is stored as
-- its 1 January; data_source.published_date holds the date only when known to the day), the
-- period its data cover, and how the date is known.
CREATE TABLE source_release (
    source_file VARCHAR PRIMARY KEY REFERENCES data_source (source_file),
    published_date DATE NOT NULL,
    date_precision VARCHAR NOT NULL CHECK (date_precision IN ('day', 'month', 'year')),
    period_covered VARCHAR NOT NULL,
    date_basis VARCHAR NOT NULL
);

-- Provenance in four words, the SQL twin of monitor/sources/citation.py (same grammar; a test
-- checks both agree on every source in the demo database). A source the grammar does not read
-- has none (NULL).
CREATE MACRO source_base(source) AS
    regexp_replace(trim(source), ' \((derived: [a-z0-9-]+|[^()]*\S illustrative)\)$', '');
CREATE MACRO cited_paper(source) AS
    CASE WHEN regexp_full_match(source_base(source),
        '[0-9]{3} (para [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?(, [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?)*'
        || '|(rec |§)[0-9]+([–-][0-9]+)?(, [0-9]+([–-][0-9]+)?)*)'
        || '(, (para [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?(, [0-9]+(\.[0-9]+)*([–-][0-9]+(\.[0-9]+)*)?)*'
        || '|(rec |§)[0-9]+([–-][0-9]+)?(, [0-9]+([–-][0-9]+)?)*))*')
    THEN left(trim(source), 3) END;
-- The passage ids a paper citation names (both ends of a range), e.g. ['§1', 'rec 1', 'rec 2'].
CREATE MACRO cited_passages(source) AS
    CASE WHEN cited_paper(source) IS NOT NULL THEN flatten(list_transform(
        string_split(substr(source_base(source), 5), ', '),
        lambda item, i: list_transform(regexp_extract_all(item, '[0-9]+(\.[0-9]+)*'),
            lambda ref: CASE regexp_extract(array_to_string(list_slice(string_split(substr(source_base(source), 5), ', '), 1, i), ', '),
                                            '.*(para |rec |§)', 1)
                WHEN 'para ' THEN ref WHEN 'rec ' THEN 'rec ' || ref ELSE '§' || ref END))) END;
CREATE MACRO provenance(source) AS
    CASE
        WHEN source IS NULL OR trim(source) = '' THEN NULL
        WHEN lower(trim(source)) = 'illustrative' OR regexp_matches(trim(source), ' illustrative\)$') THEN 'illustrative'
        WHEN regexp_matches(trim(source), ' \(derived: [a-z0-9-]+\)$') THEN
            CASE WHEN cited_paper(source) IS NOT NULL THEN 'derived from a paper' END
        WHEN regexp_full_match(trim(source), '[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.(csv|xlsx)')
          OR regexp_full_match(trim(source), 'https://www\.gov\.uk/[A-Za-z0-9/_.-]+') THEN 'published'
        WHEN cited_paper(source) IS NOT NULL THEN 'council paper'
    END;

-- Every row that carries a source, as (table, key, source): what the data checks read, in one
-- place (About counts it with source_counts(), below).
CREATE MACRO all_sources() AS TABLE
    SELECT 'authority' AS table_name, ons_code AS row_key, source FROM authority
    UNION ALL SELECT 'statistical_neighbour', ons_code || '/' || neighbour_rank, source FROM statistical_neighbour
    UNION ALL SELECT 'programme', programme_id, source FROM programme
    UNION ALL SELECT 'programme_party', programme_id || '/' || ons_code || '/' || role, source FROM programme_party
    UNION ALL SELECT 'programme_comparator', programme_id || '/' || ons_code, source FROM programme_comparator
    UNION ALL SELECT 'workstream', workstream_id, source FROM workstream
    UNION ALL SELECT 'milestone', milestone_id, source FROM milestone
    UNION ALL SELECT 'milestone_snapshot', milestone_id || '/' || reporting_date, source FROM milestone_snapshot
    UNION ALL SELECT 'ofsted_inspection', inspection_id, source FROM ofsted_inspection
    UNION ALL SELECT 'ofsted_judgement', inspection_id || '/' || judgement_area, source FROM ofsted_judgement
    UNION ALL SELECT 'intervention_event', event_id, source FROM intervention_event
    UNION ALL SELECT 'dfe_statistic', measure || '/' || area_code || '/' || time_period, source FROM dfe_statistic
    UNION ALL SELECT 'indicator', indicator_id, source FROM indicator
    UNION ALL SELECT 'indicator_value', indicator_id || '/' || period_end_date, source FROM indicator_value
    UNION ALL SELECT 'indicator_value_exclusion', indicator_id || '/' || period_end_date, source FROM indicator_value_exclusion
    UNION ALL SELECT 'commissioner_report', report_id, source FROM commissioner_report
    UNION ALL SELECT 'report_audience', programme_id, source FROM report_audience
    UNION ALL SELECT 'saving', saving_id, source FROM saving
    UNION ALL SELECT 'cost_share', cost_share_id, source FROM cost_share
    UNION ALL SELECT 'appraisal', appraisal_id, source FROM appraisal
    UNION ALL SELECT 'appraisal_option', option_id, source FROM appraisal_option
    UNION ALL SELECT 'appraisal_criterion', criterion_id, source FROM appraisal_criterion
    UNION ALL SELECT 'criterion_weight', criterion_id || '/' || ons_code, source FROM criterion_weight
    UNION ALL SELECT 'option_rating', option_id || '/' || criterion_id, source FROM option_rating
    UNION ALL SELECT 'risk', risk_id, source FROM risk
    UNION ALL SELECT 'risk_snapshot', risk_id || '/' || reporting_date, source FROM risk_snapshot
    UNION ALL SELECT 'key_date', key_date_id, source FROM key_date;

-- all_sources() counted per table and source (About's rows by provenance), each table grouped on its
-- own: over the union DuckDB groups every row on two keys, three times the work on the national
-- database's million rows (docs/performance-log.md). The same tables as all_sources(): a test holds
-- this to all_sources()' own counts, table by table and source by source.
CREATE MACRO source_counts() AS TABLE
    SELECT 'authority' AS table_name, source, count(*) AS row_count FROM authority GROUP BY source
    UNION ALL SELECT 'statistical_neighbour', source, count(*) FROM statistical_neighbour GROUP BY source
    UNION ALL SELECT 'programme', source, count(*) FROM programme GROUP BY source
    UNION ALL SELECT 'programme_party', source, count(*) FROM programme_party GROUP BY source
    UNION ALL SELECT 'programme_comparator', source, count(*) FROM programme_comparator GROUP BY source
    UNION ALL SELECT 'workstream', source, count(*) FROM workstream GROUP BY source
    UNION ALL SELECT 'milestone', source, count(*) FROM milestone GROUP BY source
    UNION ALL SELECT 'milestone_snapshot', source, count(*) FROM milestone_snapshot GROUP BY source
    UNION ALL SELECT 'ofsted_inspection', source, count(*) FROM ofsted_inspection GROUP BY source
    UNION ALL SELECT 'ofsted_judgement', source, count(*) FROM ofsted_judgement GROUP BY source
    UNION ALL SELECT 'intervention_event', source, count(*) FROM intervention_event GROUP BY source
    UNION ALL SELECT 'dfe_statistic', source, count(*) FROM dfe_statistic GROUP BY source
    UNION ALL SELECT 'indicator', source, count(*) FROM indicator GROUP BY source
    UNION ALL SELECT 'indicator_value', source, count(*) FROM indicator_value GROUP BY source
    UNION ALL SELECT 'indicator_value_exclusion', source, count(*) FROM indicator_value_exclusion GROUP BY source
    UNION ALL SELECT 'commissioner_report', source, count(*) FROM commissioner_report GROUP BY source
    UNION ALL SELECT 'report_audience', source, count(*) FROM report_audience GROUP BY source
    UNION ALL SELECT 'saving', source, count(*) FROM saving GROUP BY source
    UNION ALL SELECT 'cost_share', source, count(*) FROM cost_share GROUP BY source
    UNION ALL SELECT 'appraisal', source, count(*) FROM appraisal GROUP BY source
    UNION ALL SELECT 'appraisal_option', source, count(*) FROM appraisal_option GROUP BY source
    UNION ALL SELECT 'appraisal_criterion', source, count(*) FROM appraisal_criterion GROUP BY source
    UNION ALL SELECT 'criterion_weight', source, count(*) FROM criterion_weight GROUP BY source
    UNION ALL SELECT 'option_rating', source, count(*) FROM option_rating GROUP BY source
    UNION ALL SELECT 'risk', source, count(*) FROM risk GROUP BY source
    UNION ALL SELECT 'risk_snapshot', source, count(*) FROM risk_snapshot GROUP BY source
    UNION ALL SELECT 'key_date', source, count(*) FROM key_date GROUP BY source;

INSERT INTO schema_version (schema_version) VALUES (1);
INSERT INTO data_version VALUES (1, 1);
