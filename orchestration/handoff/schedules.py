"""The full-build job and its daily schedule.

A scheduled run pins the dbt var `as_of` to the tick's scheduled time (UTC), so re-running a
tick rebuilds exactly what that tick built.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from handoff.assets import build_run_config, format_as_of, handoff_dbt_assets
from handoff.defs.delivery import DELIVERY_GROUP

BUILD_JOB_NAME = "handoff_build"
DAILY_SCHEDULE_NAME = "handoff_daily_build"
DAILY_CRON = "0 5 * * *"
AS_OF_TAG = "handoff/as_of"

handoff_build_job = define_asset_job(
    name=BUILD_JOB_NAME,
    # the build, then delivery of the feeds it produced (group `delivery`, downstream of them)
    selection=AssetSelection.assets(handoff_dbt_assets) | AssetSelection.groups(DELIVERY_GROUP),
    description="dbt build of the whole project (seeds, models, snapshots and their tests), "
    "then delivery of the outbound feeds to every configured target.",
)


@schedule(
    name=DAILY_SCHEDULE_NAME,
    job=handoff_build_job,
    cron_schedule=DAILY_CRON,
    execution_timezone="UTC",
    # A deployed warehouse should build without someone switching the schedule on first.
    default_status=DefaultScheduleStatus.RUNNING,
    description="Full build every day at 05:00 UTC, as_of = the tick's scheduled time.",
)
def handoff_daily_build(context: ScheduleEvaluationContext) -> RunRequest:
    # Only a hand-built context lacks a scheduled time; a real tick always has one.
    tick = context.scheduled_execution_time or datetime.now(UTC).replace(microsecond=0)
    as_of = format_as_of(tick)
    return RunRequest(
        run_key=f"as_of={as_of}",
        run_config=build_run_config(as_of),
        tags={AS_OF_TAG: as_of},
    )
