"""The minute timer: re-evaluate escalations, due-soon reminders and breaches and deliver the
alerts at least every minute, so a backup rep hears of a lead within a minute of the window
running out.

A sensor rather than a cron schedule, so ticks never pile up: it evaluates every few seconds and
requests a fast-path run (`defs/fast_path.py`, no drops) when the latest fast-path run - any,
an inbox run too, since it rebuilds the same models - started a minute ago or more. While one is
queued or running it waits; once it ends, one run catches up (as_of = its start covers every
tick missed). While a drop waits in the inbox it leaves the warehouse to the drop's run, which
evaluates the alerts too. The run pins no as_of: dbt's start is the tick's now (see fast_path.py).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from handoff import inbox
from handoff.as_of import format_as_of
from handoff.defs import FAST_PATH_JOB, TRIGGER_TAG
from handoff.defs.fast_path import fast_path_job, in_flight

TIMER_SENSOR = "handoff_minute_timer"
TICK_TAG = "handoff/tick"


def period_seconds() -> int:
    """HANDOFF_TIMER_SECONDS (default 60): the longest gap between two evaluations."""
    return max(10, int(os.environ.get("HANDOFF_TIMER_SECONDS", "60")))


def last_start(context: SensorEvaluationContext) -> datetime | None:
    """When the latest fast-path run started (or was created, if it never started)."""
    records = context.instance.get_run_records(RunsFilter(job_name=FAST_PATH_JOB), limit=1)
    if not records:
        return None
    record = records[0]
    moment = record.start_time or record.create_timestamp.timestamp()
    return datetime.fromtimestamp(moment, UTC)


def evaluate_timer(
    context: SensorEvaluationContext, now: datetime | None = None
) -> RunRequest | SkipReason:
    now = now or datetime.now(UTC)
    if in_flight(context.instance):
        return SkipReason("a fast-path run is in flight; one tick catches up when it ends")
    if inbox.ready_drops(inbox.inbox_dir()):  # never make a new lead wait behind a tick
        return SkipReason("a drop waits in the inbox: its run evaluates the alerts too")
    previous = last_start(context)
    if previous is not None and (now - previous).total_seconds() < period_seconds():
        return SkipReason(
            f"alerts evaluated at {format_as_of(previous)} UTC, less than a period ago"
        )
    tick = format_as_of(now)
    return RunRequest(run_key=f"tick:{tick}", tags={TRIGGER_TAG: "timer", TICK_TAG: tick})


@sensor(
    name=TIMER_SENSOR,
    job=fast_path_job,
    minimum_interval_seconds=5,
    default_status=DefaultSensorStatus.RUNNING,
    description="Every minute (HANDOFF_TIMER_SECONDS): rebuild escalations, reminders and "
    "breaches as of now and deliver the alerts; skipped while a fast-path run is in flight.",
)
def minute_timer(context: SensorEvaluationContext):
    return evaluate_timer(context)
