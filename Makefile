# Two commands a newcomer needs:  make demo   (the pipeline end to end)
#                                 make test   (lint, the fixture build and the fast pytest suite)
# CI runs `make ci`: make test, then the slow end-to-end cases (pytest -m slow).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)
export DAGSTER_HOME := $(CURDIR)/data/dagster_home

.PHONY: demo test ci test-engines lint dbt-test pytest pytest-slow dev bench latency lock manifest \
	expected-marts clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)  ## generate -> load -> build -> deliver -> summary on embedded DuckDB
	$(BIN)/handoff demo

# lint, the fixture build and pytest are independent (each its own DuckDB file, dbt target and
# log folder), so they run side by side; each one's output is printed whole when it ends, and
# one failing does not stop the others (--keep-going): a red run reports every failure.
test: $(STAMP)  ## lint + dbt build of the fixtures + pytest without the slow cases
	$(MAKE) --no-print-directory --keep-going -j2 --output-sync=target pytest lint dbt-test

ci: test pytest-slow  ## what CI runs: make test, then the slow end-to-end cases

# dbt build (seeds, models, data tests, unit tests) on the committed fixtures, in its own file.
dbt-test: export HANDOFF_DUCKDB_PATH := data/test/fixtures.duckdb
dbt-test: export DBT_TARGET_PATH := target/test
dbt-test: export DBT_LOG_PATH := logs/test
dbt-test: $(STAMP)
	rm -f data/test/fixtures.duckdb
	$(BIN)/handoff load tests/fixtures/raw
	$(BIN)/handoff build --unit-tests --as-of '2026-03-20 12:00:00'

# (-m replaces the `not engines` of pyproject's addopts, so both say it again)
pytest: $(STAMP)  ## the pytest suite without the slow end-to-end cases
	$(BIN)/pytest -m "not slow and not engines"

pytest-slow: $(STAMP)  ## the slow end-to-end cases: dagster dev, one lead per routing run, CSV round trip
	$(BIN)/pytest -m "slow and not engines"

# The fixtures built on PostgreSQL and Spark with every test, the marts compared with DuckDB's
# (tests/python/test_engines.py). Installs what it needs (scripts/engines/install.sh).
test-engines: $(STAMP)
	scripts/engines/install.sh
	HANDOFF_ENGINES_REQUIRED=1 $(BIN)/pytest -m engines

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests/python
	$(BIN)/ruff format --check orchestration tests/python
	mkdir -p data/lint  # the dbt templater opens a warehouse: give it its own scratch file
	HANDOFF_DUCKDB_PATH=data/lint/lint.duckdb DBT_TARGET_PATH=target/lint DBT_LOG_PATH=logs/lint \
		$(BIN)/sqlfluff lint models macros tests/dbt

expected-marts: $(STAMP)  ## rewrite tests/fixtures/expected_marts after a deliberate change to the marts
	UPDATE_EXPECTED_MARTS=1 $(BIN)/pytest -q tests/python/test_fixture_marts.py

manifest: $(STAMP)  ## dbt parse -> target/manifest.json, read by the Dagster definitions
	$(BIN)/python -m handoff.dbt_project

dev: manifest  ## Dagster UI on http://127.0.0.1:3000
	$(BIN)/handoff dev

bench: $(STAMP)  ## full, +1 % and fast-path builds at 10k, 100k and 1M leads (docs/benchmark.md)
	$(BIN)/python scripts/benchmark.py $(SIZES) --markdown docs/benchmark.md

latency: $(STAMP)  ## the operational loop: _READY -> webhook at 5,000 and 100,000 leads
	$(BIN)/python scripts/latency_benchmark.py --leads 5000
	$(BIN)/python scripts/latency_benchmark.py --leads 100000

lock:  ## re-resolve requirements.lock (and the engines' superset) after changing pyproject.toml
	$(BIN)/uv pip compile --quiet --extra dev --extra postgres pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --extra dev --extra postgres --extra spark pyproject.toml \
		-o requirements-engines.lock

clean:
	rm -rf $(VENV) data target logs
