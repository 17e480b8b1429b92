"""Dagster definitions: they load, the job and schedule resolve, the translator follows dbt meta,
a materialisation on the committed fixtures builds the warehouse, and `dagster dev` serves them.

The dbt manifest is parsed once per session into a temporary target folder; every test that runs
dbt or Dagster has its own DuckDB file, dbt target and log folder, and DAGSTER_HOME is a temporary
folder whose dagster.yaml disables telemetry.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import httpx
import pytest
from dagster import (
    AssetKey,
    AssetSelection,
    DagsterInstance,
    Definitions,
    build_schedule_context,
    materialize,
    validate_run_config,
)
from dagster_dbt import DbtCliResource

from conftest import dagster_home

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
FIXTURES = REPO / "tests" / "fixtures" / "raw"
AS_OF = "2026-03-20 12:00:00"


def _staging_models(manifest: dict) -> dict[str, dict]:
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "staging"
    }


# --- definitions ---------------------------------------------------------------------------


def test_definitions_load_with_job_schedule_and_asset_keys(defs: Definitions, manifest: dict):
    from handoff.contract import raw_tables

    Definitions.validate_loadable(defs)

    job = defs.resolve_job_def("handoff_build")
    schedule = defs.resolve_schedule_def("handoff_daily_build")
    assert schedule.job_name == job.name
    assert schedule.cron_schedule == "0 5 * * *"
    assert schedule.execution_timezone == "UTC"

    keys = set(defs.resolve_all_asset_keys())
    staging = _staging_models(manifest)
    assert "stg_crm__leads" in staging
    assert {AssetKey(["staging", name]) for name in staging} <= keys
    raw_keys = {AssetKey(["raw", table]) for table in raw_tables()}
    assert raw_keys <= keys

    # the job builds every dbt node and nothing it cannot build (the raw tables are loaded outside)
    job_keys = set(job.asset_layer.executable_asset_keys)
    assert {AssetKey(["staging", name]) for name in staging} <= job_keys
    assert not job_keys & raw_keys
    # ... and runs every dbt test attached to a model as an asset check
    assert (
        job.asset_layer.asset_graph.asset_check_keys == defs.resolve_asset_graph().asset_check_keys
    )


def test_groups_come_from_the_translator(defs: Definitions, manifest: dict):
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    for name in _staging_models(manifest):
        assert specs[AssetKey(["staging", name])].group_name == "staging"
    raw_specs = [spec for key, spec in specs.items() if key.path[0] == "raw"]
    assert raw_specs
    assert {spec.group_name for spec in raw_specs} == {"raw"}
    # sources carry their description from the source YAML, not a generic fallback
    leads = specs[AssetKey(["raw", "leads"])]
    assert leads.description and not leads.description.startswith("dbt source")
    # a model's dependency on a raw table is the raw/<table> asset
    base_leads = specs[AssetKey(["staging", "base_crm__leads"])]
    assert AssetKey(["raw", "leads"]) in {dep.asset_key for dep in base_leads.deps}
    stg_leads = specs[AssetKey(["staging", "stg_crm__leads"])]
    assert {dep.asset_key for dep in stg_leads.deps} == {base_leads.key}


def test_importing_definitions_without_manifest_fails_clearly_and_runs_no_dbt(tmp_path: Path):
    empty_target = tmp_path / "target"
    env = {
        **os.environ,
        "DBT_TARGET_PATH": str(empty_target),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DAGSTER_HOME": str(dagster_home(tmp_path / "dagster_home")),
    }
    env.pop("DAGSTER_IS_DEV_CLI", None)
    result = subprocess.run(
        [sys.executable, "-c", "import handoff.definitions"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ManifestError" in result.stderr
    assert "make manifest" in result.stderr
    assert "handoff dev" in result.stderr
    assert not (empty_target / "manifest.json").exists()
    assert not (tmp_path / "logs").exists()


def test_definitions_pin_a_relative_warehouse_path_when_they_load(tmp_path: Path, manifest: dict):
    """dagster-dbt starts dbt in the project folder with a copy of os.environ: the code location
    resolves a relative HANDOFF_DUCKDB_PATH once, where it was started, and never restores it."""
    script = "import os, handoff.definitions; print(os.environ['HANDOFF_DUCKDB_PATH'])"
    env = {**os.environ, "HANDOFF_DUCKDB_PATH": "here/warehouse.duckdb"}
    env.pop("DAGSTER_IS_DEV_CLI", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(tmp_path / "here" / "warehouse.duckdb")


@pytest.mark.dbt
def test_prepare_manifest_reports_a_broken_project(tmp_path: Path, session_dir: Path):
    from dagster_dbt import DbtProject

    from handoff.dbt_project import ManifestError, prepare_manifest

    project_dir = tmp_path / "project"
    project_dir.mkdir()
    shutil.copy(REPO / "dbt_project.yml", project_dir)
    shutil.copy(REPO / "profiles.yml", project_dir)
    shutil.copytree(REPO / "macros", project_dir / "macros")
    (project_dir / "models").mkdir()
    (project_dir / "models" / "broken.sql").write_text("select * from {{ ref('no_such_model') }}\n")
    project = DbtProject(project_dir=project_dir, target_path=tmp_path / "target")

    with pytest.raises(ManifestError, match="no_such_model"):
        prepare_manifest(project)
    assert not project.manifest_path.exists()


# --- translator ------------------------------------------------------------------------------


def _model(name: str, fqn: list[str], **props) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "fqn": fqn,
        "config": {"schema": fqn[1], "materialized": "view", **props.pop("config", {})},
        "meta": {},
        "tags": [],
        "description": "",
        **props,
    }


def test_translator_group_from_meta_then_folder(defs: Definitions):
    from handoff.defs.dbt import HandoffDbtTranslator

    translator = HandoffDbtTranslator()
    plain = _model("int_leads_scored", ["lead_handoff", "intermediate", "scoring", "int_x"])
    assert translator.get_group_name(plain) == "intermediate"

    by_meta = _model(
        "leads", ["lead_handoff", "marts", "core", "leads"], meta={"dagster": {"group": "handoff"}}
    )
    assert translator.get_group_name(by_meta) == "handoff"

    # `+meta` from dbt_project.yml lands in config.meta
    by_config_meta = _model(
        "leads",
        ["lead_handoff", "marts", "core", "leads"],
        config={"meta": {"dagster": {"group": "delivery"}}},
    )
    assert translator.get_group_name(by_config_meta) == "delivery"

    seed = {**_model("scoring_rules", ["lead_handoff", "rules", "scoring_rules"])}
    seed["resource_type"] = "seed"
    assert translator.get_group_name(seed) == "rules"

    at_root = _model("orphan", ["lead_handoff", "orphan"])
    at_root["config"].pop("schema")
    assert translator.get_group_name(at_root) == "models"

    dashed = _model("x", ["lead_handoff", "lead-routing", "x"])
    assert translator.get_group_name(dashed) == "lead_routing"


def test_translator_keys_owners_tags_description(defs: Definitions):
    from handoff.defs.dbt import HandoffDbtTranslator

    translator = HandoffDbtTranslator()
    source = {
        "resource_type": "source",
        "source_name": "crm",
        "name": "leads",
        "meta": {},
        "config": {},
        "tags": [],
        "description": "",
    }
    assert translator.get_asset_key(source) == AssetKey(["raw", "leads"])
    assert translator.get_group_name(source) == "raw"
    assert translator.get_description(source) == "dbt source leads"

    model = _model(
        "leads",
        ["lead_handoff", "marts", "core", "leads"],
        description="One row per lead.",
        tags=["contract", "not a valid tag key!"],
        meta={"owner": "revops", "dagster": {"tags": {"tier": "gold"}}},
    )
    assert translator.get_asset_key(model) == AssetKey(["marts", "leads"])
    assert translator.get_description(model) == "One row per lead."
    assert translator.get_owners(model) == ["team:revops"]
    assert translator.get_tags(model) == {"contract": "", "tier": "gold"}

    explicit = _model(
        "leads",
        ["lead_handoff", "marts", "core", "leads"],
        meta={"dagster": {"asset_key": ["crm", "leads"], "owners": ["ae@example.com"]}},
    )
    assert translator.get_asset_key(explicit) == AssetKey(["crm", "leads"])
    assert translator.get_owners(explicit) == ["ae@example.com"]


# --- config and schedule ---------------------------------------------------------------------


def test_dbt_target_defaults_to_duckdb_else_reads_handoff_target_late(
    monkeypatch: pytest.MonkeyPatch,
):
    from dagster import EnvVar

    from handoff.dbt_project import dbt_target

    monkeypatch.delenv("HANDOFF_TARGET", raising=False)
    assert dbt_target() == "duckdb"
    monkeypatch.setenv("HANDOFF_TARGET", "postgres")
    target = dbt_target()
    assert isinstance(target, EnvVar)
    assert target.env_var_name == "HANDOFF_TARGET"
    assert target.get_value() == "postgres"


@pytest.mark.parametrize(
    ("tick", "expected"),
    [
        (datetime(2026, 3, 20, 5, 0, tzinfo=UTC), "2026-03-20 05:00:00"),
        # the same instant seen from another zone still yields the UTC as_of
        (datetime(2026, 7, 1, 7, 0, tzinfo=ZoneInfo("Europe/Berlin")), "2026-07-01 05:00:00"),
    ],
)
def test_schedule_tick_pins_as_of(defs: Definitions, tick: datetime, expected: str):
    schedule = defs.resolve_schedule_def("handoff_daily_build")
    job = defs.resolve_job_def(schedule.job_name)

    data = schedule.evaluate_tick(build_schedule_context(scheduled_execution_time=tick))
    assert data.run_requests is not None
    [request] = data.run_requests
    assert request.run_config["ops"]["handoff_dbt_assets"]["config"]["as_of"] == expected
    assert request.tags["handoff/as_of"] == expected
    assert request.run_key == f"as_of={expected}"
    assert validate_run_config(job, request.run_config)


# --- materialisation on the fixtures ---------------------------------------------------------


@pytest.mark.dbt
def test_materialize_seeds_and_staging_on_fixtures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, session_dir: Path, manifest: dict
):
    from handoff import settings
    from handoff.dbt_project import handoff_dbt_project
    from handoff.defs.dbt import build_run_config, handoff_dbt_assets
    from handoff.load import load_directory

    assert sorted(FIXTURES.glob("*.csv")), f"no committed fixtures in {FIXTURES}"
    target = tmp_path / "target"
    target.mkdir()
    partial_parse = handoff_dbt_project.manifest_path.parent / "partial_parse.msgpack"
    if partial_parse.exists():
        shutil.copy(partial_parse, target)
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    # relative on purpose: dbt runs in the project folder, yet must build the file meant here,
    # in the working directory, once the path is pinned as the definitions pin it when they load
    # (test_definitions_pin_a_relative_warehouse_path_when_they_load)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOFF_DUCKDB_PATH", "warehouse.duckdb")
    settings.pin_duckdb_path()
    warehouse = tmp_path / "warehouse.duckdb"

    loaded = load_directory(FIXTURES, warehouse, append=False)
    assert loaded.get("leads", 0) > 0

    # the seeds and staging: what the raw files feed directly (a full build is the CLI tests' job),
    # without their checks: on a fresh warehouse, relationship tests would join unbuilt models
    result = materialize(
        [handoff_dbt_assets],
        selection=AssetSelection.groups("rules", "staging").without_checks(),
        resources={
            "dbt": DbtCliResource(
                project_dir=handoff_dbt_project,
                profiles_dir=str(REPO),
                dbt_executable=str(VENV_BIN / "dbt"),
            )
        },
        run_config=build_run_config(AS_OF),
        instance=DagsterInstance.ephemeral(),
    )
    assert result.success

    staging = _staging_models(manifest)
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert {AssetKey(["staging", name]) for name in staging} <= materialized
    assert {key.path[0] for key in materialized} == {"rules", "staging"}

    # staging keeps every raw row: a view per raw table, as many rows as were loaded
    one_source = {
        name: manifest["sources"][node["depends_on"]["nodes"][0]]["name"]
        for name, node in staging.items()
        if len(node["depends_on"]["nodes"]) == 1
        and node["depends_on"]["nodes"][0].startswith("source.")
    }
    assert len(one_source) >= 3
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for model, table in one_source.items():
            [(count,)] = connection.execute(f"select count(*) from staging.{model}").fetchall()
            assert count == loaded[table], model
        assert connection.execute("select count(*) from staging.stg_crm__leads").fetchone()[0] > 0

    # the build ran with the configured as_of, against the warehouse meant here
    run_results = list(target.rglob("run_results.json"))
    assert run_results
    assert all(
        json.loads(path.read_text())["args"]["vars"] == {"as_of": AS_OF} for path in run_results
    )
    assert not (REPO / "warehouse.duckdb").exists()


# --- dagster dev -----------------------------------------------------------------------------

WORKSPACE_QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on PythonError { message }
          ... on RepositoryLocation { repositories { jobs { name } schedules { name } } }
        }
      }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_group(process: subprocess.Popen) -> None:
    """dagster dev runs a webserver, a daemon and a code server: stop the whole process group."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.mark.dbt
@pytest.mark.slow
def test_dagster_dev_serves_the_definitions(tmp_path: Path, session_dir: Path):
    port = _free_port()
    # an empty target of its own: under `dagster dev` the definitions prepare the manifest
    target = tmp_path / "target"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home(tmp_path / "dagster_home")),
        "HANDOFF_DUCKDB_PATH": str(tmp_path / "dev.duckdb"),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    log = (tmp_path / "dagster_dev.log").open("w")
    process = subprocess.Popen(
        [
            *(str(VENV_BIN / "dagster"), "dev", "-m", "handoff.definitions"),
            *("-h", "127.0.0.1", "-p", str(port)),
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    location = None
    try:
        deadline = time.monotonic() + 60
        server_info = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                server_info = httpx.get(f"{base_url}/server_info", timeout=2)
                if server_info.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert server_info is not None and server_info.status_code == 200, (
            tmp_path / "dagster_dev.log"
        ).read_text()[-3000:]
        assert "dagster_webserver_version" in server_info.json()

        # the code location must load, not just the webserver answer
        while time.monotonic() < deadline + 30:
            response = httpx.post(f"{base_url}/graphql", json={"query": WORKSPACE_QUERY}, timeout=5)
            entries = response.json()["data"]["workspaceOrError"]["locationEntries"]
            location = next(e for e in entries if e["name"] == "handoff.definitions")
            if location["loadStatus"] == "LOADED":
                break
            time.sleep(0.5)
    finally:
        _stop_group(process)
        log.close()

    assert location is not None and location["loadStatus"] == "LOADED"
    loaded = location["locationOrLoadError"]
    assert loaded["__typename"] == "RepositoryLocation", loaded
    [repository] = loaded["repositories"]
    assert "handoff_build" in {job["name"] for job in repository["jobs"]}
    assert {s["name"] for s in repository["schedules"]} == {
        "handoff_daily_build",
        "handoff_monthly_report_schedule",
    }
    assert process.returncode is not None
    assert (target / "manifest.json").exists()


# --- delivery --------------------------------------------------------------------------------


def test_daily_job_ends_with_delivery_of_the_feeds(defs: Definitions):
    job = defs.resolve_job_def("handoff_build")
    graph = defs.resolve_asset_graph()
    delivery = {key for key in job.asset_layer.executable_asset_keys if key.path[0] == "delivery"}
    assert AssetKey(["delivery", "webhook", "sla_alerts"]) in delivery
    assert AssetKey(["delivery", "file", "crm_assignment_sync"]) in delivery
    for key in delivery:
        assert AssetKey(["marts", key.path[-1]]) in graph.get(key).parent_keys
