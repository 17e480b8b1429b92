"""The Dagster definitions, one module per concern; `handoff.definitions` gathers them into the
one `Definitions` of the code location.

- `dbt`: the dbt project as assets (the meta-driven translator, the raw tables as external
  assets, the build's run config).
- `delivery`: one asset per feed x target, downstream of the feed marts; the channel resources.
- `report`: the monthly executive report, its job and schedule.
- `schedules`: the full-build job (build, then delivery) and its daily schedule.

A new concern (ingest, ...) gets its own module here and is added to
`handoff.definitions`; it depends on dbt nodes through `handoff.defs.dbt.handoff_dbt_assets` or
their asset keys (`[<schema>, <model>]`, e.g. `marts/leads`).
"""

# Every asset that writes the warehouse runs in this pool: DuckDB takes one writer at a time.
WAREHOUSE_POOL = "handoff_warehouse"

# The operational loop's job (defs/fast_path.py) and the tag that says what started a run of it;
# here so code outside Dagster (handoff.loop_probe) names them without loading the definitions.
FAST_PATH_JOB = "handoff_fast_path"
TRIGGER_TAG = "handoff/trigger"
