"""The minute timer (handoff.defs.timer): when it requests a fast-path run, that it never piles
ticks up, and (slow) that the fast path at the tick after a window runs out escalates the lead
and delivers the alert, while the tick before does not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from conftest import FIXTURES_RAW, Isolated
from handoff.as_of import format_as_of, parse_as_of


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def tick(defs, instance, now: datetime):
    from handoff.defs.timer import evaluate_timer

    return evaluate_timer(build_sensor_context(instance=instance, definitions=defs), now=now)


def test_the_timer_ticks_once_a_minute_and_never_piles_up(
    defs, instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from handoff.defs import FAST_PATH_JOB
    from handoff_datagen.inbox_drop import write_demo_request_drop

    monkeypatch.setenv("HANDOFF_INBOX_DIR", str(tmp_path / "inbox"))
    start = datetime.now(UTC)
    first = tick(defs, instance, start)
    assert isinstance(first, RunRequest)  # nothing evaluated yet: now
    assert first.tags["handoff/trigger"] == "timer"

    run = instance.create_run_for_job(job_def=defs.resolve_job_def(FAST_PATH_JOB), run_config={})
    for later in (30, 90, 300):  # a long run: every tick meanwhile is skipped, none queued
        skipped = tick(defs, instance, start + timedelta(seconds=later))
        assert isinstance(skipped, SkipReason) and "in flight" in skipped.skip_message
    instance.report_run_failed(run)

    caught_up = tick(defs, instance, start + timedelta(seconds=301))
    assert isinstance(caught_up, RunRequest)  # once, as soon as the warehouse is free
    assert caught_up.run_key != first.run_key

    # a run that started less than a period ago (an inbox run too) already evaluated the alerts
    instance.create_run_for_job(job_def=defs.resolve_job_def(FAST_PATH_JOB), run_config={})
    recent = instance.get_runs(limit=1)[0]
    instance.report_run_failed(recent)
    assert isinstance(tick(defs, instance, datetime.now(UTC) + timedelta(seconds=20)), SkipReason)
    assert isinstance(tick(defs, instance, datetime.now(UTC) + timedelta(seconds=61)), RunRequest)

    # a drop waiting in the inbox goes first: its run evaluates the alerts as well
    write_demo_request_drop(tmp_path / "inbox", "waiting", 1)
    waiting = tick(defs, instance, datetime.now(UTC) + timedelta(seconds=61))
    assert isinstance(waiting, SkipReason) and "drop waits" in waiting.skip_message


def first_escalation(warehouse: Path) -> tuple[str, str, datetime]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(
            "select lead_id, rep_id, assigned_at from ledger.int_assignments_escalated "
            "order by assigned_at, lead_id limit 1"
        ).fetchone()
    assert row, "the fixtures hold an escalation"
    return row[0], row[1], row[2]


def escalations_of(warehouse: Path, lead_id: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select count(*) from ledger.int_assignments_escalated where lead_id = ?", [lead_id]
        ).fetchone()[0]


@pytest.mark.slow
@pytest.mark.dbt
def test_the_tick_after_the_window_escalates_and_delivers_the_alert(
    defs, fixture_warehouse: Path, isolated: Isolated, monkeypatch: pytest.MonkeyPatch
):
    from handoff.build import run_dbt_build
    from handoff.defs import FAST_PATH_JOB
    from handoff.load import load

    lead, backup, escalated_at = first_escalation(fixture_warehouse)
    before = format_as_of(escalated_at - timedelta(minutes=1))
    after = format_as_of(escalated_at + timedelta(seconds=30))

    load(FIXTURES_RAW, isolated.warehouse)
    assert run_dbt_build(before, database=isolated.warehouse) == 0
    assert escalations_of(isolated.warehouse, lead) == 0  # the window is still open

    deliveries = isolated.root / "deliveries"
    monkeypatch.setenv("HANDOFF_DELIVERY_DIR", str(deliveries))
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    job = defs.resolve_job_def(FAST_PATH_JOB)
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            run_config={"ops": {"fast_path": {"config": {"as_of": after}}}}, instance=instance
        )
    assert result.success

    assert escalations_of(isolated.warehouse, lead) == 1
    alerts = [
        json.loads(line)
        for line in (deliveries / "sla_alerts.jsonl").read_text().splitlines()
        if line.strip()
    ]
    to_backup = [
        alert
        for alert in alerts
        if alert["lead_id"] == lead
        and alert["subject_rep_id"] == backup
        and parse_as_of(alert["alert_at"]) <= after
    ]
    assert to_backup, f"no alert about {lead}'s escalation to {backup} was delivered"
