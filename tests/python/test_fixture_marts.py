"""The contract marts built from the committed fixtures, compared with the committed expectation
(tests/fixtures/expected_marts/<mart>.csv): a refactor that changes a single value fails here.

A change that alters the marts on purpose regenerates the files and commits their diff, which
is then the review of what changed for the systems that read the marts:
    make expected-marts        (UPDATE_EXPECTED_MARTS=1 pytest tests/python/test_fixture_marts.py)
Values are compared as text, floating-point numbers rounded to 6 decimals (a sum's last bit
depends on the order DuckDB's threads add it up in).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from handoff import schemas, settings
from mart_comparison import contract_mart_names

EXPECTED = settings.PROJECT_DIR / "tests" / "fixtures" / "expected_marts"
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
SHOWN_DIFFERENCES = 5


def normalized_select(connection: duckdb.DuckDBPyConnection, mart: str) -> str:
    """Every column of the mart as text (floats rounded), rows in a stable order."""
    relation = schemas.relation(schemas.MARTS, mart)
    columns = connection.execute(f"describe {relation}").fetchall()
    texts = []
    for name, data_type, *_ in columns:
        value = f'round("{name}", 6)' if data_type in FLOAT_TYPES else f'"{name}"'
        texts.append(f'cast({value} as varchar) as "{name}"')
    return f"select {', '.join(texts)} from {relation}"


def differences(connection: duckdb.DuckDBPyConnection, mart: str, expected: Path) -> list[str]:
    built = normalized_select(connection, mart)
    committed = f"select * from read_csv('{expected}', all_varchar = true, header = true)"
    found = []
    for label, left, right in (("unexpected", built, committed), ("missing", committed, built)):
        rows = connection.execute(f"{left} except all {right} limit {SHOWN_DIFFERENCES}").fetchall()
        found += [f"{mart}: {label} row {row}" for row in rows]
    return found


def write_expected(connection: duckdb.DuckDBPyConnection, mart: str, expected: Path) -> None:
    select = normalized_select(connection, mart)
    connection.execute(f"copy ({select} order by all) to '{expected}' (header, delimiter ',')")


@pytest.mark.dbt
@pytest.mark.parametrize("mart", contract_mart_names())
def test_contract_mart_matches_the_committed_expectation(fixture_warehouse: Path, mart: str):
    expected = EXPECTED / f"{mart}.csv"
    with duckdb.connect(str(fixture_warehouse), read_only=True) as connection:
        if os.environ.get("UPDATE_EXPECTED_MARTS") == "1":
            EXPECTED.mkdir(parents=True, exist_ok=True)
            write_expected(connection, mart, expected)
        assert expected.exists(), f"{expected} is missing: run `make expected-marts`"
        built_columns = [
            row[0]
            for row in connection.execute(
                f"{normalized_select(connection, mart)} limit 0"
            ).description
        ]
        committed_columns = expected.read_text().split("\n", 1)[0].split(",")
        assert built_columns == committed_columns, f"{mart}: columns changed"
        assert differences(connection, mart, expected) == []


def test_a_changed_value_is_found(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        connection.execute(
            "create schema marts; create table marts.m as "
            "select 'L1' as lead_id, 0.1 + 0.2 as rate, timestamp '2026-03-20 12:00' as happened_at"
        )
        expected = tmp_path / "m.csv"
        write_expected(connection, "m", expected)
        assert differences(connection, "m", expected) == []
        connection.execute("update marts.m set happened_at = happened_at + interval 1 minute")
        found = differences(connection, "m", expected)
    assert found == [
        "m: unexpected row ('L1', '0.3', '2026-03-20 12:01:00')",
        "m: missing row ('L1', '0.3', '2026-03-20 12:00:00')",
    ]
