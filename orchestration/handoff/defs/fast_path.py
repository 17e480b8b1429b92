"""The fast path: one run that appends inbox drops, rebuilds the routing feed and the alerts, and
delivers them. The inbox sensor (`defs/ingest.py`) starts it for new drops, the minute timer
(`defs/timer.py`) with no drops to re-evaluate escalations, reminders and breaches.

What keeps it fast (docs/operations.md measures each part):
- one op in the in-process executor: the run worker imports the code once, no step processes;
- dbt builds the named selector `fast_path` (selectors.yml): the models upstream of
  crm_assignment_sync and sla_alerts, the critical tests of the ledgers and the feeds, no seeds
  and no unit tests;
- no `--vars` unless the run pins as_of: dbt's own start time is "now" (the as_of macro's
  default), so dbt reuses its partial parse (new vars force a full re-parse, ~5 s of CPU);
- dbt writes to one fixed target folder (`<target>/fast_path`): its partial parse carries over
  from run to run, and nothing piles up per run.

The op runs in the warehouse pool: one writer of the DuckDB file at a time (`handoff serve`
writes `concurrency.pools.default_limit: 1`).
"""

# No `from __future__ import annotations`: Dagster reads the config annotation at runtime.

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import (
    AssetMaterialization,
    Config,
    DagsterInstance,
    DagsterRunStatus,
    Failure,
    MetadataValue,
    OpExecutionContext,
    Output,
    RunsFilter,
    in_process_executor,
    job,
    op,
)
from pydantic import Field, field_validator

from handoff import dbt_cli, inbox, settings
from handoff.as_of import AS_OF_HELP, parse_as_of
from handoff.build import run_dbt
from handoff.dbt_project import handoff_dbt_project
from handoff.defs import FAST_PATH_JOB, WAREHOUSE_POOL
from handoff.defs.dbt import manifest, translator
from handoff.delivery import deliver, load_config

FAST_PATH_SELECTOR = "fast_path"
DROPS_TAG = "handoff/drops"
# a run in one of these still holds, or will hold, the warehouse
IN_FLIGHT = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


class FastPathConfig(Config):
    """Run config of the fast path."""

    drops: list[str] = Field(
        default_factory=list,
        description="Inbox folders to append first (names under HANDOFF_INBOX_DIR); none: "
        "rebuild and deliver only (the timer).",
    )
    as_of: str | None = Field(
        default=None,
        description=f"Pin the build's now: {AS_OF_HELP}. Unset: the moment dbt starts.",
    )

    @field_validator("as_of")
    @classmethod
    def _valid_as_of(cls, value: str | None) -> str | None:
        return parse_as_of(value) if value else None


def fast_path_target() -> Path:
    """dbt's target folder for the fast path: `fast_path` under the project's target folder."""
    target = handoff_dbt_project.target_path
    if not target.is_absolute():
        target = handoff_dbt_project.project_dir / target
    return target / "fast_path"


def in_flight(instance: DagsterInstance) -> bool:
    """Whether a fast-path run is queued or running."""
    runs = instance.get_run_records(RunsFilter(job_name=FAST_PATH_JOB, statuses=IN_FLIGHT), limit=1)
    return bool(runs)


def _ingest(context: OpExecutionContext, drops: list[str]) -> dict[str, Any]:
    started = time.monotonic()
    result = inbox.ingest(inbox.inbox_dir(), drops, settings.duckdb_path())
    for name, rows in result.loaded.items():
        context.log.info(f"inbox: appended {name}: {rows}")
    for name in result.repeated:
        context.log.info(f"inbox: {name} was already loaded (same files in ops.loads): skipped")
    for name, reason in result.rejected.items():
        context.log.error(f"inbox: rejected {name} (moved to {inbox.REJECTED}/): {reason}")
    return {
        "drops_loaded": len(result.loaded),
        "drops_repeated": len(result.repeated),
        "drops_rejected": len(result.rejected),
        "rows_appended": result.new_rows,
        "load_seconds": round(time.monotonic() - started, 2),
    }


def _build(context: OpExecutionContext, as_of: str | None) -> Iterator[AssetMaterialization]:
    """`dbt build --selector fast_path` as a plain subprocess, then one materialisation per model.

    Not through DbtCliResource.cli: it runs `dbt --version` and sets up a dbt adapter in this
    process before dbt starts, seconds the fast path cannot spare.
    """
    target = fast_path_target()
    args = dbt_cli.selector_build_args(FAST_PATH_SELECTOR, as_of)
    env = {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target)}
    exit_code = run_dbt(args, extra_env=env)
    results = _run_results(target)
    failed = [uid for uid, status in results.items() if status in ("error", "fail")]
    for unique_id, status in results.items():
        node = manifest["nodes"].get(unique_id)
        if node and node["resource_type"] == "model" and status == "success":
            yield AssetMaterialization(
                asset_key=translator.get_asset_key(node),
                description=f"dbt build --selector {FAST_PATH_SELECTOR}",
            )
    if exit_code != 0:
        raise Failure(
            description=f"dbt build --selector {FAST_PATH_SELECTOR} failed (exit {exit_code}): "
            "nothing was delivered",
            metadata={
                "failed_nodes": MetadataValue.json(failed[:50]),
                "dbt_log": MetadataValue.path(str(target / "dbt.log")),
            },
        )


def _run_results(target: Path) -> dict[str, str]:
    """unique_id -> status of the nodes of the last dbt invocation in `target`."""
    path = target / "run_results.json"
    if not path.exists():
        return {}
    results = json.loads(path.read_text())["results"]
    return {result["unique_id"]: str(result["status"]) for result in results}


def _deliver(context: OpExecutionContext) -> dict[str, Any]:
    started = time.monotonic()
    report = deliver(settings.duckdb_path(), load_config(), os.environ)
    accepted = sum(target.accepted for target in report.targets)
    for target in report.targets:
        context.log.info(
            f"deliver {target.target}: sent {target.sent}, accepted {target.accepted}, "
            f"retrying {target.retrying}, dead {target.dead}"
            + (f", paused: {target.paused}" if target.paused else "")
            + (f", error: {target.error}" if target.error else "")
        )
    if report.incomplete:
        context.log.warning("delivery incomplete: the rest goes out with the next run")
    return {
        "rows_delivered": accepted,
        "delivery_incomplete": report.incomplete,
        "deliver_seconds": round(time.monotonic() - started, 2),
    }


@op(
    pool=WAREHOUSE_POOL,
    description="Append the inbox drops, `dbt build --selector fast_path`, deliver the feeds.",
)
def fast_path(context: OpExecutionContext, config: FastPathConfig):
    metadata: dict[str, Any] = {}
    if config.drops:
        metadata |= _ingest(context, config.drops)
    started = time.monotonic()
    yield from _build(context, config.as_of)
    metadata["build_seconds"] = round(time.monotonic() - started, 2)
    metadata |= _deliver(context)
    context.log.info(f"fast path done: {metadata}")
    yield Output(None, metadata=metadata)


@job(
    name=FAST_PATH_JOB,
    executor_def=in_process_executor,
    description="The operational loop's run: inbox drops in, routing feed and alerts rebuilt "
    "(selector fast_path), delivered. Started by the inbox sensor and the minute timer.",
)
def fast_path_job():
    fast_path()
