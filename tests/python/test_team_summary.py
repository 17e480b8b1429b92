"""`handoff.team_summary`: what `handoff demo` prints about the sales team, on a tiny warehouse
written here with the marts' contract columns (no dbt: a fraction of a second)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from handoff import team_summary

AS_OF = "timestamp '2026-03-20 12:00'"


def _console() -> Console:
    return Console(record=True, width=140, force_terminal=False)


def _lines(text: str) -> list[str]:
    """The printed lines without borders and padding."""
    return [" ".join(line.replace("│", " ").split()) for line in text.splitlines()]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """Tier 1: 10 of 11 met (within 85-95 %; the unrouted Tier 1 lead counts, breached); tier 2:
    1 of 4 (below); two handed-off leads nobody owns."""
    database = tmp_path / "w.duckdb"
    met = ", ".join(
        f"('L{i}', 1, 'met', true, 'emea', timestamp '2026-03-10 10:00')" for i in range(10)
    )
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts; create schema rules")
        connection.execute(
            "create table rules.compliance_targets as select * from (values "
            "(1, 0.85, 0.95), (2, 0.75, 0.90)) as t(priority_tier, target_min, target_max)"
        )
        connection.execute(
            f"create table marts.lead_sla as select *, {AS_OF} as sla_as_of_at from (values {met}, "
            "('M0', 2, 'met', true, 'apac', timestamp '2026-03-11 10:00'), "
            "('M1', 2, 'breached', true, 'apac', timestamp '2026-03-11 10:00'), "
            "('M2', 2, 'breached', true, 'apac', timestamp '2026-03-11 10:00'), "
            "('M3', 2, 'breached', true, 'apac', timestamp '2026-03-11 10:00'), "
            "('U1', 1, 'breached', false, 'unassigned', timestamp '2026-03-20 09:00'), "
            "('U2', 3, 'pending', false, 'unassigned', timestamp '2026-03-19 12:00')) "
            "as t(lead_id, priority_tier, sla_status, is_routed, team, handoff_at)"
        )
        connection.execute(
            "create table marts.routing_backlog as select * from (values "
            "('U1', 'no_eligible_rep')) as t(lead_id, backlog_reason)"
        )
        connection.execute(
            "create table marts.lead_assignments as select * from (values "
            "('L0', 'round_robin'), ('L9', 'escalation_backup'), ('M1', 'overflow')) "
            "as t(lead_id, assignment_type)"
        )
    return database


def test_compliance_is_compared_with_the_band(warehouse: Path):
    console = _console()
    team_summary.print_compliance(console, warehouse)
    lines = _lines(console.export_text())
    assert "tier 1 10 11 91% 85% to 95% within" in lines
    assert "tier 2 1 4 25% 75% to 90% below" in lines


def test_unassigned_leads_are_listed_with_their_age_tier_1_first(warehouse: Path):
    console = _console()
    team_summary.print_unassigned(console, warehouse)
    text = console.export_text()
    assert "2 handed-off lead(s) have NO OWNER, 1 of them Tier 1 (1 others went to overflow)" in (
        " ".join(text.split())
    )
    lines = _lines(text)
    rows = [line for line in lines if line.startswith(("U1", "U2"))]
    assert rows[0].startswith("U1 1 2026-03-20 09:00 3.0 h breached no_eligible_rep")
    assert rows[1].startswith("U2 3 2026-03-19 12:00 24.0 h pending -")


def test_a_section_whose_marts_are_missing_says_so(tmp_path: Path):
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    console = _console()
    team_summary.print_team(console, database)
    text = console.export_text()
    for section in ("SLA compliance", "Compliance by team", "Violation ladder", "Escalations"):
        assert f"{section}: not built yet." in text
    assert "Unassigned leads: not built yet." in text
