"""The monthly executive report as a Dagster asset, written on the 1st of every month.

`reports/monthly_handoff_report` depends on the marts it reads, runs in the warehouse's pool (it
opens the DuckDB file read-only, which a concurrent dbt build would block), and writes
`handoff-report-YYYY-MM.html` into HANDOFF_REPORT_DIR (default data/reports). The schedule asks
for the month before its tick, 06:00 UTC on the 1st: after the daily 05:00 build has closed the
month.
"""

# No `from __future__ import annotations`: Dagster reads the asset's config annotation at runtime.
from datetime import UTC, date, datetime

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Config,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    RunConfig,
    RunRequest,
    ScheduleEvaluationContext,
    asset,
    define_asset_job,
    schedule,
)
from pydantic import Field, field_validator

from handoff import settings
from handoff.assets import WAREHOUSE_POOL
from handoff.report import REPORT_MARTS, month_start, write_report

REPORT_ASSET_NAME = "monthly_handoff_report"
REPORT_JOB_NAME = "handoff_monthly_report"
REPORT_SCHEDULE_NAME = "handoff_monthly_report_schedule"
MONTHLY_CRON = "0 6 1 * *"


class MonthlyReportConfig(Config):
    month: str | None = Field(
        default=None,
        description="Month to report, YYYY-MM. Unset: the latest complete month of the warehouse.",
    )

    @field_validator("month")
    @classmethod
    def _valid_month(cls, value: str | None) -> str | None:
        return f"{month_start(value):%Y-%m}" if value else None


@asset(
    key=AssetKey(["reports", REPORT_ASSET_NAME]),
    deps=[AssetKey(["marts", mart]) for mart in REPORT_MARTS],
    group_name="reports",
    pool=WAREHOUSE_POOL,
    kinds={"html"},
    description="The monthly executive report: one self-contained HTML page read from the marts.",
)
def monthly_handoff_report(
    context: AssetExecutionContext, config: MonthlyReportConfig
) -> MaterializeResult:
    month = month_start(config.month) if config.month else None
    result = write_report(settings.duckdb_path(), month=month)
    context.log.info(f"Report for {result.month:%Y-%m} written to {result.path}")
    return MaterializeResult(
        metadata={
            "month": f"{result.month:%Y-%m}",
            "path": MetadataValue.path(str(result.path)),
            "summary": MetadataValue.md("\n".join(f"- {line}" for line in result.summary)),
        }
    )


# the asset's op is named after its whole key (reports__monthly_handoff_report): run config uses it
REPORT_OP_NAME = monthly_handoff_report.op.name

monthly_report_job = define_asset_job(
    name=REPORT_JOB_NAME,
    selection=[monthly_handoff_report],
    description="Write the monthly executive report from the marts.",
)


def previous_month(moment: datetime) -> date:
    """The first day of the month before `moment`'s month."""
    first = moment.date().replace(day=1)
    return (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )


@schedule(
    name=REPORT_SCHEDULE_NAME,
    job=monthly_report_job,
    cron_schedule=MONTHLY_CRON,
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="The report of the month just ended, 06:00 UTC on the 1st.",
)
def monthly_report_schedule(context: ScheduleEvaluationContext) -> RunRequest:
    tick = context.scheduled_execution_time or datetime.now(UTC)
    month = f"{previous_month(tick):%Y-%m}"
    return RunRequest(
        run_key=f"month={month}",
        run_config=RunConfig(ops={REPORT_OP_NAME: MonthlyReportConfig(month=month)}),
        tags={"handoff/report_month": month},
    )
