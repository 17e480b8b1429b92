"""The one Dagster code location: `dagster dev -m handoff.definitions`.

Gathers the modules of `handoff.defs` (one per concern) into the one `Definitions`.

Importing this module reads the dbt manifest prepared at build time (`make manifest`,
`handoff dev`) and never runs dbt, except under `dagster dev`, which re-parses on load.
"""

from __future__ import annotations

from dagster import Definitions

from handoff.dbt_project import dbt_cli_resource
from handoff.defs.dbt import handoff_dbt_assets, raw_sources
from handoff.defs.delivery import channel_resources, delivery_assets
from handoff.defs.fast_path import fast_path_job
from handoff.defs.ingest import inbox_sensor
from handoff.defs.report import monthly_handoff_report, monthly_report_job, monthly_report_schedule
from handoff.defs.schedules import handoff_build_job, handoff_daily_build
from handoff.defs.timer import minute_timer

defs = Definitions(
    assets=[*raw_sources, handoff_dbt_assets, *delivery_assets(), monthly_handoff_report],
    jobs=[handoff_build_job, monthly_report_job, fast_path_job],
    schedules=[handoff_daily_build, monthly_report_schedule],
    sensors=[inbox_sensor, minute_timer],
    resources={"dbt": dbt_cli_resource(), **channel_resources()},
)
