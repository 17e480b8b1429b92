"""Watching the operational loop from outside: a local webhook receiver that notes when each
lead's assignment arrives, `handoff serve` as a child process, and the fast-path runs' timings.

Used by `scripts/latency_benchmark.py`, `handoff demo --live` and the serve tests: they drop
leads into the inbox and measure `_READY` -> the receiver accepting the lead's
crm_assignment_sync row.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from handoff import settings

ASSIGNMENT_FEED = "crm_assignment_sync"


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1 (a free port) recording the first arrival of each lead."""

    assigned_at: dict[str, float] = field(default_factory=dict)  # lead_id -> time.time()
    assignments: dict[str, dict] = field(default_factory=dict)  # lead_id -> its first row
    rows: dict[str, int] = field(default_factory=dict)  # feed -> rows received
    requests: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.time()
                receiver.note(json.loads(body or b"{}"), now)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/handoff"

    def note(self, payload: Mapping, now: float) -> None:
        feed = str(payload.get("feed"))
        rows = payload.get("rows") or []
        with self._lock:
            self.requests += 1
            self.rows[feed] = self.rows.get(feed, 0) + len(rows)
            if feed == ASSIGNMENT_FEED:
                for row in rows:
                    lead = str(row.get("lead_id"))
                    self.assigned_at.setdefault(lead, now)
                    self.assignments.setdefault(lead, row)

    def wait_for(self, lead_ids: list[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if all(lead in self.assigned_at for lead in lead_ids):
                    return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def serve_environment(
    workdir: Path, warehouse: Path, inbox: Path, webhook_url: str, extra: Mapping[str, str] = ()
) -> dict[str, str]:
    """Environment of a `handoff serve` child that owns `workdir` (DAGSTER_HOME, target, logs)."""
    env = dict(os.environ)
    env.update(
        {
            "HANDOFF_DUCKDB_PATH": str(warehouse),
            "HANDOFF_INBOX_DIR": str(inbox),
            "HANDOFF_WEBHOOK_URL": webhook_url,
            "HANDOFF_DELIVERY_DIR": str(workdir / "deliveries"),
            "DAGSTER_HOME": str(workdir / "dagster_home"),
            "DBT_TARGET_PATH": str(workdir / "target"),
            "DBT_LOG_PATH": str(workdir / "logs"),
            "DBT_PROFILES_DIR": str(settings.PROFILES_DIR),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("HANDOFF_TARGET", None)
    env.update(dict(extra))
    return env


def start_serve(env: Mapping[str, str], log: Path) -> subprocess.Popen:
    """`handoff serve` in its own process group, its output in `log`."""
    handoff = settings.executable("handoff") or "handoff"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        return subprocess.Popen(
            [handoff, "serve"],
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_serve(process: subprocess.Popen, timeout: float = 90) -> int:
    """SIGTERM to `handoff serve` (it stops its whole group); SIGKILL to the group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):  # nothing of the group may outlive it
        os.killpg(process.pid, signal.SIGKILL)
    return process.returncode


@dataclass(frozen=True)
class RunTiming:
    trigger: str
    status: str
    queued_seconds: float  # created -> started (queue + launch of the run worker)
    run_seconds: float  # started -> ended
    metadata: dict[str, object]


def fast_path_runs(dagster_home: Path) -> list[RunTiming]:
    """Timings of every fast-path run in the instance at `dagster_home`, oldest first."""
    from dagster import DagsterEventType, DagsterInstance, RunsFilter

    from handoff.defs import FAST_PATH_JOB, TRIGGER_TAG

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    try:
        with DagsterInstance.get() as instance:
            records = instance.get_run_records(RunsFilter(job_name=FAST_PATH_JOB))
            metadata = {}
            for record in records:
                run_id = record.dagster_run.run_id
                for entry in instance.all_logs(run_id, of_type=DagsterEventType.STEP_OUTPUT):
                    data = entry.dagster_event.event_specific_data.metadata
                    metadata[run_id] = {key: value.value for key, value in data.items()}
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous
    timings = []
    for record in reversed(records):
        created = record.create_timestamp.timestamp()
        started = record.start_time or created
        ended = record.end_time or started
        timings.append(
            RunTiming(
                trigger=record.dagster_run.tags.get(TRIGGER_TAG, "?"),
                status=record.dagster_run.status.value,
                queued_seconds=started - created,
                run_seconds=ended - started,
                metadata=metadata.get(record.dagster_run.run_id, {}),
            )
        )
    return timings


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]
