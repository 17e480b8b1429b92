"""The dbt-side volume check: a raw table that shrank since the last build warns, never fails.

This is the guard for warehouses loaded by connectors (no `handoff load` to refuse a truncated
extract); here a forced load plays the connector.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES_AS_OF, FIXTURES_RAW, Isolated
from handoff.build import run_dbt_build
from handoff.contract import raw_tables
from handoff.load import load
from handoff.summary import read_run_results


def test_every_raw_table_is_measured_at_each_build(fixture_warehouse: Path):
    with duckdb.connect(str(fixture_warehouse), read_only=True) as connection:
        measured = dict(
            connection.execute(
                "select table_name, row_count from marts.raw_volume_history"
            ).fetchall()
        )
        for name in raw_tables():
            assert (
                measured[name]
                == connection.execute(f"select count(*) from raw.{name}").fetchone()[0]
            )
        statuses = connection.execute(
            "select distinct volume_status from marts.raw_volume_changes"
        ).fetchall()
    assert set(measured) == set(raw_tables())
    assert statuses == [("first_build",)]


@pytest.mark.dbt
def test_a_shrunken_raw_table_warns_at_the_next_build(
    copy_warehouse: Path, isolated: Isolated, tmp_path: Path
):
    with (FIXTURES_RAW / "leads.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    with (truncated / "leads.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows[:4])  # the header and three leads
    load(truncated, copy_warehouse, force=True)

    exit_code = run_dbt_build(
        FIXTURES_AS_OF, ["stg_ops__raw_volumes+"], ["--quiet"], database=copy_warehouse
    )

    assert exit_code == 0  # a warning, not a failure
    results = read_run_results(isolated.target)
    assert results is not None
    assert ("warn", "assert_monitoring_raw_tables_did_not_shrink", 1) in results.problems
    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        changes = connection.execute(
            "select table_name, previous_row_count, row_count, volume_status "
            "from marts.raw_volume_changes where volume_status <> 'steady' order by 1"
        ).fetchall()
    assert changes == [("leads", len(rows) - 1, 3, "shrank")]
