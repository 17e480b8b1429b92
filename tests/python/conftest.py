"""Shared pytest fixtures: an isolated warehouse/dbt environment per test, raw-folder helpers.

Every test that loads or builds asks for `isolated`: its own DuckDB file, dbt target and log
folder under tmp_path, so tests never collide with each other or with a developer's files.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handoff import settings

FIXTURES_RAW = settings.PROJECT_DIR / "tests" / "fixtures" / "raw"
VENV_BIN = Path(sys.executable).parent
DAGSTER_YAML = "telemetry:\n  enabled: false\n"


@dataclass(frozen=True)
class Isolated:
    root: Path
    warehouse: Path
    target: Path
    logs: Path


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Isolated:
    """HANDOFF_DUCKDB_PATH, DBT_TARGET_PATH and DBT_LOG_PATH pointing into tmp_path."""
    env = Isolated(
        root=tmp_path,
        warehouse=tmp_path / "warehouse" / "handoff.duckdb",
        target=tmp_path / "target",
        logs=tmp_path / "logs",
    )
    monkeypatch.setenv("HANDOFF_DUCKDB_PATH", str(env.warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(env.target))
    monkeypatch.setenv("DBT_LOG_PATH", str(env.logs))
    monkeypatch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    monkeypatch.delenv("HANDOFF_TARGET", raising=False)
    return env


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]] = ()) -> Path:
    """A CSV with a header row and the given rows (None is written as an empty field)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    return path


@pytest.fixture
def hold_lock() -> Iterator:
    """Hold a DuckDB file open read-write from another process, as dbt or Dagster would."""
    processes: list[subprocess.Popen] = []

    def hold(database: Path) -> subprocess.Popen:
        database.parent.mkdir(parents=True, exist_ok=True)
        script = textwrap.dedent(
            f"""
            import sys, duckdb
            connection = duckdb.connect({str(database)!r})
            print("locked", flush=True)
            sys.stdin.read()
            """
        )
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in processes:
        if process.stdin:
            process.stdin.close()  # the holder exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


FIXTURES_AS_OF = "2026-03-20 12:00:00"
# the scoring models incremental per lead (macros/handoff/lead_increment.sql)
SCORING_MODELS = (
    "int_lead_attributes_versioned",
    "int_lead_attribute_rules_matched",
    "int_lead_attribute_points_scored",
    "int_lead_events_scored",
    "int_lead_event_bursts_detected",
    "int_lead_event_types_grouped",
    "int_lead_score_moments",
)


@dataclass(frozen=True)
class FixtureBuild:
    """The committed fixtures, loaded and built through the CLI, and what the CLI printed."""

    warehouse: Path
    target: Path
    load_output: str
    build_output: str


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> FixtureBuild:
    """`handoff load tests/fixtures/raw` then `handoff build --as-of FIXTURES_AS_OF`, once per
    session: the build most tests read (test_cli checks its summary, others copy its warehouse).
    """
    from handoff.cli import app

    root = tmp_path_factory.mktemp("fixture_warehouse")
    warehouse, target = root / "handoff.duckdb", root / "target"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOFF_DUCKDB_PATH", str(warehouse))
        patch.setenv("DBT_TARGET_PATH", str(target))
        patch.setenv("DBT_LOG_PATH", str(root / "logs"))
        patch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
        patch.delenv("HANDOFF_TARGET", raising=False)
        loaded = runner.invoke(app, ["load", str(FIXTURES_RAW)])
        assert loaded.exit_code == 0, loaded.output
        built = runner.invoke(app, ["build", "--as-of", FIXTURES_AS_OF])
        assert built.exit_code == 0, built.output
    return FixtureBuild(warehouse, target, loaded.output, built.output)


@pytest.fixture(scope="session")
def fixture_warehouse(fixture_build: FixtureBuild) -> Path:
    """The built fixtures' warehouse. Read it, or copy it (`copy_warehouse`) before changing
    anything: other tests share it."""
    return fixture_build.warehouse


@pytest.fixture
def copy_warehouse(fixture_warehouse: Path, isolated: Isolated) -> Path:
    """A private copy of the built fixture warehouse at the isolated warehouse path."""
    isolated.warehouse.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture_warehouse, isolated.warehouse)
    return isolated.warehouse


# ---------------------------------------------------------------------------------------------
# Dagster: one session environment, one `dbt parse`, one import of the definitions


def dagster_home(folder: Path) -> Path:
    """A DAGSTER_HOME whose dagster.yaml turns telemetry off."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dagster.yaml").write_text(DAGSTER_YAML)
    return folder


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's environment: its own dbt target, logs, warehouse and DAGSTER_HOME.

    `handoff.dbt_project` reads DBT_TARGET_PATH when first imported, so everything that imports
    it (the Dagster definitions) asks for this fixture first.
    """
    base = tmp_path_factory.mktemp("dagster_session")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_TARGET_PATH", str(base / "target"))
        patch.setenv("DBT_LOG_PATH", str(base / "logs"))
        patch.setenv("HANDOFF_DUCKDB_PATH", str(base / "session.duckdb"))
        patch.setenv("DAGSTER_HOME", str(dagster_home(base / "dagster_home")))
        patch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
        patch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        patch.setenv("PATH", f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        patch.delenv("DAGSTER_IS_DEV_CLI", raising=False)
        patch.delenv("HANDOFF_TARGET", raising=False)
        yield base


@pytest.fixture(scope="session")
def manifest(session_dir: Path) -> dict:
    """`dbt parse` once per session, through the same function `make manifest` uses."""
    from handoff.dbt_project import handoff_dbt_project, prepare_manifest

    path = prepare_manifest(handoff_dbt_project)
    assert path == handoff_dbt_project.manifest_path
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def defs(manifest: dict):
    """The one Dagster `Definitions` (handoff.definitions), imported on the session's manifest."""
    from handoff.definitions import defs

    return defs
