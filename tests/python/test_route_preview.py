"""`handoff route-preview` on the built fixtures: a candidate, compared, ledger untouched."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import FIXTURES_AS_OF, Isolated
from handoff import settings
from handoff.cli import app

SHIPPED_RULES = settings.PROJECT_DIR / "seeds" / "rules" / "routing_rules.csv"
LEDGER_QUERY = "select * from ledger.int_assignments_routed order by assignment_id"


def candidate_rules(folder: Path, change) -> Path:
    with SHIPPED_RULES.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    path = folder / "candidate_rules.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def send_emea_to_inbound(rows: list[dict]) -> list[dict]:
    for row in rows:
        if row["rule_id"] == "emea":
            row["team"] = "inbound"
    return rows


def ledger(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(LEDGER_QUERY).fetchall()


@pytest.mark.dbt
def test_preview_reports_the_leads_a_rule_change_moves_and_leaves_the_ledger_alone(
    runner: CliRunner, isolated: Isolated, copy_warehouse: Path
):
    before = ledger(copy_warehouse)
    rules = candidate_rules(isolated.root, send_emea_to_inbound)
    out = isolated.root / "preview"

    result = runner.invoke(
        app,
        ["route-preview", "--rules", str(rules), "--days", "90", "--as-of", FIXTURES_AS_OF,
         "--out", str(out)],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "1 would change team" in result.output
    with (out / "route_preview_diff.csv").open(newline="") as handle:
        moved = list(csv.DictReader(handle))
    assert [(row["lead_id"], row["before_team"], row["after_team"]) for row in moved] == [
        ("L005", "emea", "inbound")
    ]
    assert ledger(copy_warehouse) == before


def test_preview_rejects_a_rules_file_with_unknown_columns(runner: CliRunner, tmp_path: Path):
    rules = tmp_path / "rules.csv"
    rules.write_text(SHIPPED_RULES.read_text().replace("territory", "teritory", 1))

    result = runner.invoke(app, ["route-preview", "--rules", str(rules)])

    assert result.exit_code == 1
    assert "unknown column(s) teritory" in result.stderr
    assert "missing column(s) territory" in result.stderr


@pytest.mark.dbt
def test_preview_refuses_rules_that_fail_the_rule_tests(
    runner: CliRunner, isolated: Isolated, copy_warehouse: Path
):
    def drop_catch_all(rows: list[dict]) -> list[dict]:
        return [row for row in rows if row["rule_id"] != "catch_all"]

    rules = candidate_rules(isolated.root, drop_catch_all)

    result = runner.invoke(
        app, ["route-preview", "--rules", str(rules), "--as-of", FIXTURES_AS_OF,
              "--out", str(isolated.root / "preview")],
    )  # fmt: skip

    assert result.exit_code == 1
    assert "fail the routing-rule tests" in result.stderr
    assert "the last rule must be a catch-all" in result.output
