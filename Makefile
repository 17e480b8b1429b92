# Two commands a newcomer needs:  make demo   (the pipeline end to end)
#                                 make test   (the whole test suite, as CI runs it)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export DAGSTER_HOME := $(CURDIR)/data/dagster_home

.PHONY: demo test test-engines lint dbt-test pytest dev bench lock manifest clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)  ## generate -> load -> build -> deliver -> summary on embedded DuckDB
	$(BIN)/handoff demo

test: lint dbt-test pytest  ## everything CI runs

# dbt build (seeds, models, data tests, unit tests) on the committed fixtures, in its own file.
dbt-test: $(STAMP)
	rm -f data/test/fixtures.duckdb
	HANDOFF_DUCKDB_PATH=data/test/fixtures.duckdb $(BIN)/handoff load tests/fixtures/raw
	HANDOFF_DUCKDB_PATH=data/test/fixtures.duckdb $(BIN)/handoff build --unit-tests --as-of '2026-03-20 12:00:00'

pytest: $(STAMP)
	$(BIN)/pytest

# The fixtures built on PostgreSQL and Spark with every test, the marts compared with DuckDB's
# (tests/python/test_engines.py). Installs what it needs (scripts/engines/install.sh).
test-engines: $(STAMP)
	scripts/engines/install.sh
	HANDOFF_ENGINES_REQUIRED=1 $(BIN)/pytest -m engines

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests/python
	$(BIN)/ruff format --check orchestration tests/python
	mkdir -p data/lint  # the dbt templater opens a warehouse: give it its own scratch file
	HANDOFF_DUCKDB_PATH=data/lint/lint.duckdb DBT_TARGET_PATH=target/lint $(BIN)/sqlfluff lint models macros tests/dbt

manifest: $(STAMP)  ## dbt parse -> target/manifest.json, read by the Dagster definitions
	$(BIN)/python -m handoff.dbt_project

dev: manifest  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/handoff dev

bench: $(STAMP)  ## generator and warehouse at 1,000,000 leads
	$(BIN)/python scripts/benchmark.py

lock:  ## re-resolve requirements.lock (and the engines' superset) after changing pyproject.toml
	$(BIN)/uv pip compile --quiet --extra dev --extra postgres pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --extra dev --extra postgres --extra spark pyproject.toml \
		-o requirements-engines.lock

clean:
	rm -rf $(VENV) data target logs
