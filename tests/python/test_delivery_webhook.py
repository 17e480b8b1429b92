"""The webhook target against a real local server: contract §5 protocol, retries, Retry-After,
timeouts, dropped connections, a refused row isolated by splitting, replay, re-runs that send
nothing, and a `handoff deliver` killed with SIGKILL mid-batch then re-run.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

from delivery_fakes import FakeServer, Reply, config, feed_warehouse, log_rows
from handoff.delivery import deliver
from handoff.delivery.config import parse_config
from handoff.delivery.feeds import idempotency_key

SECRET = "canary-secret-5f1e"
ENV = {"HANDOFF_WEBHOOK_URL": "", "HANDOFF_WEBHOOK_SECRET": SECRET}
WEBHOOK = {
    "type": "webhook",
    "enabled_when_set": "HANDOFF_WEBHOOK_URL",
    "feeds": ["crm_assignment_sync", "sla_alerts"],
    "timeout_seconds": 2,
}


def run(warehouse: Path, server: FakeServer, **kwargs):
    environ = {**ENV, "HANDOFF_WEBHOOK_URL": server.url + "/hook"}
    cfg = parse_config(config({"webhook": WEBHOOK}, kwargs.pop("retry", None)), environ)
    return deliver(warehouse, cfg, environ, kwargs.pop("feeds", None), **kwargs)


def delivered_keys(server: FakeServer) -> Counter:
    keys: Counter = Counter()
    for request in server.accepted():
        body = request.json
        column = "sync_key" if body["feed"] == "crm_assignment_sync" else "alert_key"
        keys.update(row[column] for row in body["rows"])
    return keys


def test_protocol_batches_headers_signature_and_rerun_sends_nothing(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=250, alert_rows=30)
    with FakeServer() as server:
        report = run(warehouse, server)
        requests = list(server.requests)
        again = run(warehouse, server)

    [webhook] = report.targets
    assert (webhook.sent, webhook.accepted, webhook.dead, webhook.retrying) == (280, 280, 0, 0)
    assert sorted(len(r.json["rows"]) for r in requests) == [30, 50, 100, 100]
    for request in requests:
        assert request.method == "POST" and request.path == "/hook"
        assert request.headers["content-type"] == "application/json"
        body = request.json
        assert set(body) == {"feed", "rows"}
        key = "sync_key" if body["feed"] == "crm_assignment_sync" else "alert_key"
        assert request.headers["idempotency-key"] == idempotency_key(
            body["feed"], [row[key] for row in body["rows"]]
        )
        expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers["x-handoff-signature"] == f"sha256={expected}"
        assert body["rows"][0]["lead_name"] and body["rows"][0][key]
    assert set(delivered_keys(server).values()) == {1}
    # the same set of rows in any order has the same key
    assert idempotency_key("f", ["b", "a"]) == idempotency_key("f", ["a", "b"])
    assert again.targets[0].sent == 0 and len(server.requests) == len(requests)
    assert {row["status"] for row in log_rows(warehouse)} == {"delivered"}


def test_transient_failures_are_retried_honouring_retry_after(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=120)
    script = iter(
        [
            Reply(500),
            Reply(drop=True),
            Reply(429, headers={"Retry-After": "1"}),
            Reply(delay=3),
            Reply(503),
        ]
    )
    stamps: list[float] = []

    def handler(request):
        stamps.append(time.monotonic())
        return next(script, Reply())

    with FakeServer(handler) as server:
        report = run(
            warehouse, server, feeds=["crm_assignment_sync"], retry={"attempts_per_run": 8}
        )
    [webhook] = report.targets
    assert webhook.accepted == 120 and webhook.dead == 0
    # the wait after the 429 is the server's Retry-After, not the 10 ms backoff
    assert stamps[3] - stamps[2] >= 0.95
    # the slow answer (3 s) timed out at 2 s and was counted as the slowest
    assert 1.9 <= webhook.slowest_seconds < 3
    keys = delivered_keys(server)
    assert len(keys) == 120
    first_batch = [r for r in server.requests if len(r.json["rows"]) == 100]
    assert len({r.headers["idempotency-key"] for r in first_batch}) == 1  # same key every retry
    attempts = {row["key"]: row["attempts"] for row in log_rows(warehouse)}
    assert max(attempts.values()) == 6 and min(attempts.values()) == 1


def test_refused_row_is_isolated_dead_with_the_answer_then_replayed(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=100)
    bad = {"sync00042"}

    def handler(request):
        keys = {row["sync_key"] for row in request.json["rows"]}
        if keys & bad:
            return Reply(422, body={"error": "lead L00042 is locked"})
        return Reply(body={"id": "batch-" + request.headers["idempotency-key"][:8]})

    with FakeServer(handler) as server:
        report = run(warehouse, server, feeds=["crm_assignment_sync"])
        [webhook] = report.targets
        assert (webhook.accepted, webhook.dead) == (99, 1)
        assert set(delivered_keys(server)) == {f"sync{i:05d}" for i in range(100)} - bad
        [dead] = [row for row in log_rows(warehouse) if row["status"] == "dead"]
        assert dead["key"] == "sync00042" and "422" in dead["last_error"]
        assert "locked" in dead["last_error"]
        assert all(
            r["response_id"].startswith("batch-")
            for r in log_rows(warehouse)
            if r["status"] == "delivered"
        )

        bad.clear()  # the receiver is fixed
        nothing = run(warehouse, server, feeds=["crm_assignment_sync"])
        assert nothing.targets[0].sent == 0  # dead rows wait for a replay
        replay = run(warehouse, server, feeds=["crm_assignment_sync"], replay=True)
    assert (replay.targets[0].requeued, replay.targets[0].accepted) == (1, 1)
    assert Counter(delivered_keys(server).values()) == {1: 100}
    assert {row["status"] for row in log_rows(warehouse)} == {"delivered"}


def test_a_failing_target_pauses_and_never_blocks_the_others(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=500)
    sinks = tmp_path / "files"
    with FakeServer(lambda request: Reply(500)) as server:
        environ = {"HANDOFF_WEBHOOK_URL": server.url}
        targets = {
            "webhook": WEBHOOK,
            "file": {"type": "file", "feeds": ["crm_assignment_sync"], "directory": str(sinks)},
        }
        cfg = parse_config(config(targets, {"attempts_per_run": 2}), environ)
        report = deliver(warehouse, cfg, environ, ["crm_assignment_sync"])
    by_name = {target.target: target for target in report.targets}
    assert by_name["file"].accepted == 500
    webhook = by_name["webhook"]
    assert webhook.paused and webhook.retrying == 300 and webhook.accepted == 0
    assert len(server.requests) == 6  # 3 batches x 2 attempts, then the target pauses
    statuses = Counter(row["status"] for row in log_rows(warehouse, "webhook"))
    assert statuses == {"retrying": 300}  # the 200 rows never sent are not logged: still pending
    assert report.incomplete


def test_dry_run_sends_and_writes_nothing(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=150, alert_rows=5)
    with FakeServer() as server:
        report = run(warehouse, server, dry_run=True)
    assert server.requests == []
    assert report.targets[0].would_send == {"crm_assignment_sync": (150, 2), "sla_alerts": (5, 1)}
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert not connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'ops'"
        ).fetchone()[0]


def _write_config(path: Path) -> Path:
    path.write_text(yaml.safe_dump(config({"webhook": {**WEBHOOK, "timeout_seconds": 60}})))
    return path


def _deliver_process(env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "handoff"),
        "deliver",
        "--feed",
        "crm_assignment_sync",
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_sigkill_mid_batch_then_rerun_loses_nothing_and_resends_under_the_same_key(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=350)
    in_flight, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def handler(request):
        seen.append(request.headers["idempotency-key"])
        if len(seen) == 2 and not release.is_set():  # hold the second batch until the kill
            in_flight.set()
            release.wait(30)
            return Reply(drop=True)
        return Reply()

    env = {
        **os.environ,
        "HANDOFF_DUCKDB_PATH": str(warehouse),
        "HANDOFF_FILE_DELIVERY": "false",
        "HANDOFF_DELIVERIES_FILE": str(_write_config(tmp_path / "deliveries.yml")),
        "HANDOFF_WEBHOOK_SECRET": SECRET,
    }
    with FakeServer(handler) as server:
        env["HANDOFF_WEBHOOK_URL"] = server.url
        process = _deliver_process(env)
        assert in_flight.wait(60), "the second batch never arrived"
        killed_key = seen[1]
        killed_rows = {row["sync_key"] for row in server.requests[1].json["rows"]}
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        release.set()
        assert process.returncode == -signal.SIGKILL
        mid_run = {row["key"]: row for row in log_rows(warehouse)}
        assert {k for k, row in mid_run.items() if row["status"] == "retrying"} == killed_rows

        rerun = _deliver_process(env)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        again = _deliver_process(env)
        again.communicate(timeout=120)
        requests_after = len(server.requests)

    keys = delivered_keys(server)
    assert set(keys) == {f"sync{i:05d}" for i in range(350)}  # nothing lost
    assert {key for key, count in keys.items() if count > 1} <= killed_rows
    # the in-flight batch went out again first, with the very same key
    assert seen[2] == killed_key
    assert requests_after == 2 + 3  # killed run: 2; re-run: the held batch + 2 new; third: 0
    log = log_rows(warehouse)
    assert {row["status"] for row in log} == {"delivered"}
    assert {row["key"] for row in log if row["attempts"] == 2} == killed_rows
    for text in (out, err, *map(str, log)):
        assert SECRET not in text and server.url not in text
