"""The inbox sensor: complete drops in HANDOFF_INBOX_DIR start one fast-path run
(`defs/fast_path.py`), which appends them to raw, rebuilds the routing feed and the alerts and
delivers. What a drop is and where it goes: `handoff.inbox`.

Each evaluation (every HANDOFF_INBOX_INTERVAL_SECONDS, default 2; the daemon looks at sensors
every 5 s at most):
- a folder without `_READY` waits;
- a malformed drop (unknown table, wrong columns) moves to `_rejected/` with its reason and a
  warning in the sensor's log, before any run;
- while a fast-path run is queued or running, nothing is requested: the drops that arrive meanwhile
  wait and go together in the next run;
- otherwise every waiting drop goes into ONE run request.

The cursor counts the runs requested for each drop still in the inbox. A drop leaves the inbox
only when its run appended it, so a drop still there when no run is in flight had its run fail:
it is requested again (a new run key), up to MAX_ATTEMPTS runs, then rejected with the reason.
The cursor never moves past a drop whose run failed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from handoff import inbox, schemas
from handoff.defs import TRIGGER_TAG
from handoff.defs.fast_path import DROPS_TAG, FastPathConfig, fast_path_job, in_flight

INBOX_SENSOR = "handoff_inbox"
MAX_ATTEMPTS = 3


def interval_seconds() -> int:
    return max(1, int(os.environ.get("HANDOFF_INBOX_INTERVAL_SECONDS", "2")))


@dataclass
class InboxCursor:
    """Runs requested so far for each drop still in the inbox."""

    attempts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str | None) -> InboxCursor:
        if not text:
            return cls()
        return cls(attempts=dict(json.loads(text).get("attempts", {})))

    def dumps(self) -> str:
        return json.dumps({"attempts": self.attempts}, sort_keys=True)


def _run_key(attempts: dict[str, int]) -> str:
    """One key per set of drops and attempt: a retried drop gets a new run."""
    text = json.dumps(sorted(attempts.items()))
    return "inbox:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def evaluate_inbox(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    if not schemas.uses_embedded_duckdb():
        return SkipReason("the inbox loads the embedded DuckDB; on this target a connector does")
    folder = inbox.inbox_dir()
    cursor = InboxCursor.parse(context.cursor)
    drops = []
    for drop in inbox.ready_drops(folder):
        problem = inbox.drop_problem(drop)
        if problem is None:
            drops.append(drop)
            continue
        inbox.reject(folder, drop, problem)
        context.log.warning(f"inbox: rejected {drop.name} (moved to {inbox.REJECTED}/): {problem}")
    waiting = inbox.waiting_drops(folder)
    if not drops:
        cursor.attempts = {}
        note = f"; {len(waiting)} folder(s) without _READY wait" if waiting else ""
        return SensorResult(
            skip_reason=SkipReason(f"no complete drop{note}"), cursor=cursor.dumps()
        )
    if in_flight(context.instance):
        return SkipReason(f"{len(drops)} drop(s) wait for the fast-path run in flight")

    attempts: dict[str, int] = {}
    for drop in drops:
        previous = cursor.attempts.get(drop.name, 0)
        if previous >= MAX_ATTEMPTS:
            reason = (
                f"{previous} fast-path runs with this drop failed (see the runs tagged "
                f"{TRIGGER_TAG}=inbox in Dagster); it was left in the inbox each time"
            )
            inbox.reject(folder, drop, reason)
            context.log.error(f"inbox: rejected {drop.name}: {reason}")
            continue
        attempts[drop.name] = previous + 1
    cursor.attempts = attempts
    if not attempts:
        return SensorResult(
            skip_reason=SkipReason("every drop was rejected"), cursor=cursor.dumps()
        )
    names = list(attempts)
    retried = [name for name, count in attempts.items() if count > 1]
    if retried:
        context.log.warning(f"inbox: requesting again after a failed run: {', '.join(retried)}")
    request = RunRequest(
        run_key=_run_key(attempts),
        run_config={"ops": {"fast_path": {"config": FastPathConfig(drops=names).model_dump()}}},
        tags={TRIGGER_TAG: "inbox", DROPS_TAG: ",".join(names)[:200]},
    )
    return SensorResult(run_requests=[request], cursor=cursor.dumps())


@sensor(
    name=INBOX_SENSOR,
    job=fast_path_job,
    minimum_interval_seconds=interval_seconds(),
    default_status=DefaultSensorStatus.RUNNING,
    description="Complete drops in HANDOFF_INBOX_DIR (folders with _READY) -> one fast-path run.",
)
def inbox_sensor(context: SensorEvaluationContext):
    return evaluate_inbox(context)
