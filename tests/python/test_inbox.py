"""The inbox (handoff.inbox) and its sensor (handoff.defs.ingest), evaluated with
`build_sensor_context` on an ephemeral Dagster instance: new, half-written, malformed and repeated
drops, several drops in one run, no request while a run is in flight, and a drop whose run failed
requested again (the cursor does not move past it).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from conftest import Isolated, write_csv
from handoff import inbox
from handoff_datagen.inbox_drop import write_demo_request_drop


@pytest.fixture
def inbox_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("HANDOFF_INBOX_DIR", str(folder))
    return folder


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def evaluate(defs, instance, cursor: str | None = None):
    from handoff.defs.ingest import evaluate_inbox

    context = build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
    result = evaluate_inbox(context)
    if isinstance(result, SkipReason):
        return [], result.skip_message, cursor
    requests = list(result.run_requests or [])
    skip = result.skip_reason.skip_message if result.skip_reason else None
    return requests, skip, result.cursor


def drops_of(request: RunRequest) -> list[str]:
    return request.run_config["ops"]["fast_path"]["config"]["drops"]


def add_run(defs, instance):
    """A fast-path run in the instance, not started yet (queued: in flight)."""
    from handoff.defs import FAST_PATH_JOB

    job = defs.resolve_job_def(FAST_PATH_JOB)
    return instance.create_run_for_job(job_def=job, run_config={})


def test_new_drops_go_in_one_run_and_a_half_written_one_waits(defs, instance, inbox_dir: Path):
    write_demo_request_drop(inbox_dir, "first", 2)
    write_demo_request_drop(inbox_dir, "second", 1)
    write_csv(inbox_dir / "third" / "leads.csv", ["lead_id"])  # no _READY yet

    requests, _, cursor = evaluate(defs, instance)

    [request] = requests
    assert sorted(drops_of(request)) == ["first", "second"]
    assert request.tags["handoff/trigger"] == "inbox"
    assert json.loads(cursor)["attempts"] == {"first": 1, "second": 1}
    assert (inbox_dir / "third").is_dir()  # waits, untouched

    requests, _, _ = evaluate(defs, instance, cursor=None)
    assert requests  # still in the inbox: requested as long as no run took them


def test_nothing_ready_is_a_skip(defs, instance, inbox_dir: Path):
    write_csv(inbox_dir / "half" / "leads.csv", ["lead_id"])
    requests, skip, _ = evaluate(defs, instance)
    assert not requests
    assert "no complete drop" in skip and "1 folder(s) without _READY" in skip


def test_a_malformed_drop_is_rejected_with_its_reason_and_the_others_go_on(
    defs, instance, inbox_dir: Path
):
    write_demo_request_drop(inbox_dir, "good", 1)
    bad = inbox_dir / "bad"
    write_csv(bad / "leeds.csv", ["lead_id"], [["L1"]])  # not a contract table
    write_csv(bad / "marketing_events.csv", ["event_id", "lead_idd"], [["E1", "L1"]])
    (bad / inbox.READY).touch()

    requests, _, _ = evaluate(defs, instance)

    assert drops_of(requests[0]) == ["good"]
    rejected = inbox_dir / inbox.REJECTED / "bad"
    reason = (rejected / inbox.REASON_FILE).read_text()
    assert "'leeds' is not a contract table" in reason
    assert "column 'lead_idd' is not in the contract of marketing_events" in reason
    assert not bad.exists()


def test_no_request_while_a_run_is_in_flight_then_one_run_for_everything(
    defs, instance, inbox_dir: Path
):
    run = add_run(defs, instance)
    write_demo_request_drop(inbox_dir, "early", 1)
    write_demo_request_drop(inbox_dir, "late", 1)

    requests, skip, _ = evaluate(defs, instance)
    assert not requests and "2 drop(s) wait for the fast-path run in flight" in skip

    instance.report_run_failed(run)  # ended: the drops go in the next run
    requests, _, _ = evaluate(defs, instance)
    assert sorted(drops_of(requests[0])) == ["early", "late"]


def test_a_drop_whose_run_failed_is_requested_again_then_rejected(defs, instance, inbox_dir: Path):
    from handoff.defs.ingest import MAX_ATTEMPTS

    write_demo_request_drop(inbox_dir, "stuck", 1)
    cursor = None
    keys = set()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        requests, _, cursor = evaluate(defs, instance, cursor)
        [request] = requests
        assert drops_of(request) == ["stuck"]
        assert json.loads(cursor)["attempts"] == {"stuck": attempt}  # not moved past it
        keys.add(request.run_key)
        # the run fails: the drop is still in the inbox when no run is in flight
    assert len(keys) == MAX_ATTEMPTS  # a new run key each time, or Dagster would skip it

    requests, skip, cursor = evaluate(defs, instance, cursor)
    assert not requests and "rejected" in skip
    reason = (inbox_dir / inbox.REJECTED / "stuck" / inbox.REASON_FILE).read_text()
    assert f"{MAX_ATTEMPTS} fast-path runs with this drop failed" in reason


# --- ingest: exactly once ---------------------------------------------------------------------


def raw_count(warehouse: Path, table: str, prefix: str = "LIVE-") -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            f"select count(*) from raw.{table} where lead_id like ?", [prefix + "%"]
        ).fetchone()[0]


def test_ingest_appends_each_drop_once_and_rejects_an_unreadable_one(
    copy_warehouse: Path, isolated: Isolated, inbox_dir: Path
):
    write_demo_request_drop(inbox_dir, "one", 3)
    broken = inbox_dir / "broken"
    broken.mkdir()
    (broken / "leads.csv").write_bytes(
        b"lead_id,created_at,email\nL1,2026-01-01,a@b.example\n\xff\xfe,bad,\n"
    )
    (broken / inbox.READY).touch()

    result = inbox.ingest(inbox_dir, ["one", "broken", "gone"], copy_warehouse)

    assert result.loaded == {"one": {"leads": 3, "marketing_events": 3}}
    assert "not UTF-8" in result.rejected["broken"]
    assert result.missing == ["gone"]
    assert (inbox_dir / inbox.LOADED / "one").is_dir()
    assert (inbox_dir / inbox.REJECTED / "broken" / inbox.REASON_FILE).exists()
    assert raw_count(copy_warehouse, "leads") == 3

    # a crash after the commit, before the move: the drop is back in the inbox, loaded already
    (inbox_dir / inbox.LOADED / "one").rename(inbox_dir / "one")
    again = inbox.ingest(inbox_dir, ["one"], copy_warehouse)
    assert again.repeated == ["one"] and not again.loaded
    assert raw_count(copy_warehouse, "leads") == 3
    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        labels = connection.execute(
            "select distinct source_label from ops.loads where source_label like 'inbox/%'"
        ).fetchall()
    assert labels == [("inbox/one",)]
