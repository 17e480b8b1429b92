"""The append-only ledgers live in their own schema and `dbt build --full-refresh` cannot rewrite
them (`full_refresh: false`), on a copy of the built fixtures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES_AS_OF
from handoff import schemas
from handoff.build import run_dbt_build

LEDGERS = ("int_assignments_routed", "int_assignments_escalated")
# a time no build writes: a ledger rebuilt from scratch would carry its run's as_of instead
TAMPERED_AT = "2000-01-01 00:00:00"


def ledger_rows(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            ledger: connection.execute(
                f"select * from {schemas.relation(schemas.LEDGER, ledger)} order by assignment_id"
            ).fetchall()
            for ledger in LEDGERS
        }


@pytest.mark.dbt
def test_a_full_refresh_leaves_every_ledger_row_untouched(copy_warehouse: Path):
    with duckdb.connect(str(copy_warehouse)) as connection:
        for ledger in LEDGERS:
            connection.execute(
                f"update {schemas.relation(schemas.LEDGER, ledger)} "
                f"set recorded_at = timestamp '{TAMPERED_AT}'"
            )
    before = ledger_rows(copy_warehouse)
    assert all(before.values()), "the fixtures should route and escalate leads"

    exit_code = run_dbt_build(
        FIXTURES_AS_OF, select=LEDGERS, dbt_args=["--full-refresh", "--quiet"],
        database=copy_warehouse,
    )  # fmt: skip

    assert exit_code == 0
    assert ledger_rows(copy_warehouse) == before
