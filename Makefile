# Improvement Monitor. Two commands set up a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/monitor.duckdb
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP := $(BIN)/pip install --disable-pip-version-check -q
export MONITOR_DB := $(abspath $(DB))
# DATABASE_URL=postgresql://user@host:port/dbname: the app, db, national-db, import, figures, backup and
# restore use that PostgreSQL database instead of the DuckDB file (see README, "Which database").
ifneq ($(strip $(DATABASE_URL)),)
export DATABASE_URL
TARGET_DB := $(DATABASE_URL)
else
TARGET_DB := $(DB)
endif
APT_GET := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: run db test bench import figures templates calendar backup restore report annual-report no-detriment-report national-db cluster cluster-deps system-test-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: build the database if missing, then serve the dashboard on http://localhost:$(PORT)
run: $(VENV)/.runtime
	@$(if $(DATABASE_URL),$(BIN)/python -m queries.build --if-missing,[ -f "$(DB)" ] || $(BIN)/python -m queries.build --db "$(DB)")
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## db: (re)build the database from data/schema.sql, the official files and the demo CSVs (atomically:
## on PostgreSQL a new schema replaces the old in one transaction)
db: $(VENV)/.runtime
	$(BIN)/python -m queries.build --db "$(TARGET_DB)"

## national-db: the national-scale benchmark database (seeded; same SEED, same database): data/national.duckdb,
## or with DATABASE_URL that PostgreSQL database's data
SEED ?= 2026
national-db: $(VENV)/.runtime
	$(BIN)/python -m queries.national --db "$(if $(DATABASE_URL),$(DATABASE_URL),data/national.duckdb)" --seed $(SEED)

## import: check FILE (CSV/XLSX, as the Data page accepts) and import it all-or-nothing; TABLE=name to name the table
## (exit status: the import prints each problem and fails when the file has any; nothing is written then)
import: $(VENV)/.runtime
	@[ -n "$(FILE)" ] || { echo "usage: make import FILE=path [DB=path] [TABLE=name]" >&2; exit 2; }
	@$(BIN)/python -m queries.import_cli "$(FILE)" --db "$(TARGET_DB)" $(if $(TABLE),--table "$(TABLE)")

## figures: every programme's headline figures as CSV (the Overview's table), as at AS_OF (default today)
figures: $(VENV)/.runtime
	@$(BIN)/python -m queries.figures_cli --db "$(TARGET_DB)" $(if $(AS_OF),--as-of "$(AS_OF)")

## templates: every import template (the Data page's Templates tab) as .xlsx and .csv into the folder OUT
templates: $(VENV)/.runtime
	@[ -n "$(OUT)" ] || { echo "usage: make templates OUT=dir [DB=path] [PROGRAMME=id]" >&2; exit 2; }
	@$(BIN)/python -m queries.templates_cli "$(OUT)" --db "$(DB)" $(if $(PROGRAMME),--programme "$(PROGRAMME)")

## calendar: the key dates (of PROGRAMME, else of every programme) as an .ics file OUT, with notice
## deadlines and reminders; links point at MONITOR_BASE_URL (default http://localhost:8501)
calendar: $(VENV)/.runtime
	@[ -n "$(OUT)" ] || { echo "usage: make calendar OUT=file.ics [PROGRAMME=id] [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.calendar_cli "$(OUT)" --db "$(DB)" $(if $(PROGRAMME),--programme "$(PROGRAMME)")

## backup: write a signed backup of the whole database to OUT (a zip; the Data page makes the same)
## restore: check FILE (signature, manifest, checksums) and restore it all-or-nothing; submitted reports
## and the change log of the live database are kept. On the DuckDB file both need the dashboard stopped (it
## holds the file); on PostgreSQL it may run. Both need this installation's backup key (see README).
backup: $(VENV)/.runtime
	@[ -n "$(OUT)" ] || { echo "usage: make backup OUT=path.zip [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.backup_cli backup "$(OUT)" --db "$(TARGET_DB)"

restore: $(VENV)/.runtime
	@[ -n "$(FILE)" ] || { echo "usage: make restore FILE=path.zip [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.backup_cli restore "$(FILE)" --db "$(TARGET_DB)"

## report: the Quarterly report page's Word file for PROGRAMME and QUARTER (2023-Q3), written to OUT
## annual-report: the annual report to the improvement partner's council for a financial YEAR (2022/23)
## (a submitted report comes from its frozen record; exit status non-zero with `file:-:-: message` on refusal)
report: $(VENV)/.runtime
	@[ -n "$(PROGRAMME)" ] && [ -n "$(QUARTER)" ] && [ -n "$(OUT)" ] || { echo "usage: make report PROGRAMME=id QUARTER=YYYY-Qn OUT=file.docx [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.report_cli quarterly "$(PROGRAMME)" "$(QUARTER)" "$(OUT)" --db "$(DB)"

annual-report: $(VENV)/.runtime
	@[ -n "$(PROGRAMME)" ] && [ -n "$(YEAR)" ] && [ -n "$(OUT)" ] || { echo "usage: make annual-report PROGRAMME=id YEAR=2022/23 OUT=file.docx [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.report_cli annual "$(PROGRAMME)" "$(YEAR)" "$(OUT)" --db "$(DB)"

## no-detriment-report: the No-detriment page's Cabinet paper (Word) for the lending COUNCIL (its ONS code,
## E10000011) in PROGRAMME, written to OUT (exit status non-zero with `file:-:-: message` on refusal)
no-detriment-report: $(VENV)/.runtime
	@[ -n "$(PROGRAMME)" ] && [ -n "$(COUNCIL)" ] && [ -n "$(OUT)" ] || { echo "usage: make no-detriment-report PROGRAMME=id COUNCIL=ons_code OUT=file.docx [DB=path]" >&2; exit 2; }
	@$(BIN)/python -m queries.no_detriment_cli "$(PROGRAMME)" "$(COUNCIL)" "$(OUT)" --db "$(DB)"

## cluster: PostgreSQL (a server of its own, in a temporary directory, with the demo built into it; or the
## database named by DATABASE_URL), REPLICAS dashboard processes on it and nginx with session affinity on
## http://localhost:$(PORT); Ctrl-C stops them all (see README, "Several replicas"). SECRETS=path: the
## replicas' shared secrets (default .streamlit/secrets.toml, when present; without one, demo mode).
REPLICAS ?= 2
cluster: $(VENV)/.runtime cluster-deps
	$(BIN)/python -m serve.cluster --replicas $(REPLICAS) --port $(PORT) $(if $(SECRETS),--secrets "$(SECRETS)")

## cluster-deps: Debian's PostgreSQL and nginx, when missing
cluster-deps:
	@[ -n "$(PG_INITDB)" ] && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || { \
	  $(SUDO) apt-get update -qq && $(APT_GET) install -y -qq postgresql nginx >/dev/null; }

## system-test-deps: Debian's Chromium (browser tests), LibreOffice Writer and poppler-utils (the Word
## export opened, converted to PDF and drawn as pictures), PostgreSQL (the tests start a server of their
## own, in a temporary directory, on a free port) and nginx (the load balancer of the tests of several
## replicas), when missing
PG_INITDB = $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
system-test-deps:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v pdftoppm >/dev/null && \
	  [ -n "$(PG_INITDB)" ] && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || { \
	  $(SUDO) apt-get update -qq && \
	  $(APT_GET) install -y -qq chromium fonts-liberation libreoffice-writer poppler-utils postgresql nginx >/dev/null; }

## test: the whole suite, browser tests included, with the clock pinned to 4 Dec 2026; then again with the
## clock pinned to another date (30 Jun 2027), so no test passes only on one day. The second pass leaves
## out what only the browser, the cluster and the PostgreSQL build see (they draw what the first pass
## checked, from the same facts the second pass checks)
test: $(VENV)/.dev system-test-deps
	$(BIN)/python -m pytest
	MONITOR_TEST_TODAY=2027-06-30 $(BIN)/python -m pytest -q --ignore=tests/browser \
	  --ignore=tests/test_cluster.py --ignore=tests/test_make_postgres.py

## bench: measure every page and path; prints and writes docs/benchmarks.md
bench: $(VENV)/.dev system-test-deps
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) data/monitor.duckdb tests/artifacts .pytest_cache
