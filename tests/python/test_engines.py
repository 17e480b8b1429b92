"""The same dbt project on PostgreSQL and Spark: every test passes, and the marts match DuckDB.

Each engine builds the committed fixtures from scratch (seeds, models, data tests, unit tests)
as of FIXTURES_AS_OF; then every mart the contract names (docs/contract.md section 4) that
exists in the project, every model with an enforced contract and every other model of
models/marts/ is compared with DuckDB's build row for row: rows sorted, floats within 1e-9
(relative), everything else exact (timestamps to the microsecond).

`make test-engines` runs this with HANDOFF_ENGINES_REQUIRED=1, after installing PostgreSQL,
Java and pyspark: a missing engine then fails instead of skipping. PostgreSQL is a throwaway
cluster on a free loopback port (scripts/engines/postgres_cluster.py); Spark is a local session
whose metastore and tables live in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES_AS_OF, FIXTURES_RAW
from handoff import settings
from mart_comparison import (
    ENGINE_SCRIPTS,
    compared_marts,
    contract_mart_names,
    mart_differences,
    run_specific_columns,
    script_module,
)

pytestmark = [pytest.mark.engines, pytest.mark.dbt]


warehouse_io = script_module("warehouse_io")
postgres_cluster = script_module("postgres_cluster")


def unavailable(reason: str) -> None:
    """Skip, or fail under `make test-engines`, where every engine must run."""
    if os.environ.get("HANDOFF_ENGINES_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


# ---------- building on an engine ----------


@dataclass(frozen=True)
class Build:
    engine: str
    returncode: int
    output: str
    target: Path
    marts: dict
    env: dict

    def run_results(self) -> list[dict]:
        return json.loads((self.target / "run_results.json").read_text())["results"]

    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text())


def dbt_build(engine: str, root: Path, env: dict[str, str], unit_tests: bool) -> tuple:
    """`dbt build` of the whole project as of FIXTURES_AS_OF: (returncode, output, target)."""
    target = root / "target"
    env = {
        **env,
        "HANDOFF_TARGET": engine,
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(root / "logs"),
        "DBT_PROFILES_DIR": str(settings.PROFILES_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
    }
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--vars", _as_of_vars()]
    if not unit_tests:
        command += ["--exclude-resource-type", "unit_test"]
    result = subprocess.run(
        command, cwd=settings.PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr, target


def _as_of_vars() -> str:
    return json.dumps({"as_of": FIXTURES_AS_OF})


def dump_marts(engine: str, env: dict[str, str], models: list[str], out: Path) -> dict:
    """The marts' rows, read by scripts/engines/warehouse_io.py in its own process."""
    warehouse_io_command("dump", "--engine", engine, str(out), *models, env=env)
    return json.loads(out.read_text())


def load_raw(engine: str, env: dict[str, str]) -> None:
    warehouse_io_command("load", "--engine", engine, str(FIXTURES_RAW), env=env)


def warehouse_io_command(*args: str, env: dict[str, str]) -> None:
    """scripts/engines/warehouse_io.py in its own process (a Spark session is one JVM each)."""
    result = subprocess.run(
        [sys.executable, str(ENGINE_SCRIPTS / "warehouse_io.py"), *args],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"warehouse_io {' '.join(args[:3])}:\n{result.stderr[-4000:]}"


def build_and_dump(engine: str, root: Path, env: dict[str, str], unit_tests: bool) -> Build:
    returncode, output, target = dbt_build(engine, root, env, unit_tests)
    marts: dict = {}
    if returncode == 0:
        built = {
            result["unique_id"].split(".")[-1]
            for result in json.loads((target / "run_results.json").read_text())["results"]
            if result["unique_id"].startswith("model.")
        }
        models = [
            name
            for name in compared_marts(json.loads((target / "manifest.json").read_text()))
            if name in built
        ]
        marts = dump_marts(engine, env, models, root / "marts.json")
    return Build(engine, returncode, output, target, marts, env)


def _base_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HANDOFF_TARGET", None)
    return env


@pytest.fixture(scope="session")
def duckdb_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The reference: the fixtures on the embedded DuckDB (its unit tests run in `make test`)."""
    from handoff.load import load_directory

    root = tmp_path_factory.mktemp("engine_duckdb")
    env = {**_base_environment(), "HANDOFF_DUCKDB_PATH": str(root / "handoff.duckdb")}
    load_directory(FIXTURES_RAW, root / "handoff.duckdb")
    build = build_and_dump("duckdb", root, env, unit_tests=False)
    assert build.returncode == 0, build.output[-4000:]
    return build


@pytest.fixture(scope="session")
def postgres_environment() -> Iterator[dict[str, str]]:
    """A throwaway PostgreSQL cluster on a free loopback port, stopped and removed afterwards."""
    try:
        postgres_cluster.server_binaries()
    except postgres_cluster.ClusterError as error:
        unavailable(str(error))
    # not under pytest's tmp folder: the server runs as `postgres`, which cannot enter it
    root = Path(tempfile.mkdtemp(prefix="handoff-pg-"))
    try:
        server = postgres_cluster.start(root)
        yield {**_base_environment(), **server.environment()}
    finally:
        postgres_cluster.stop(root)


@pytest.fixture(scope="session")
def postgres_build(postgres_environment, tmp_path_factory: pytest.TempPathFactory) -> Build:
    load_raw("postgres", postgres_environment)
    root = tmp_path_factory.mktemp("engine_postgres")
    return build_and_dump("postgres", root, postgres_environment, unit_tests=True)


@pytest.fixture(scope="session")
def spark_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A local Spark session's environment, its metastore and tables in a temporary folder."""
    if (
        importlib.util.find_spec("pyspark") is None
        or importlib.util.find_spec("dbt.adapters.spark") is None
    ):
        unavailable("pyspark / dbt-spark are not installed: make test-engines installs them")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("no Java runtime for Spark: apt-get install -y openjdk-17-jre-headless")
    spark_dir = tmp_path_factory.mktemp("engine_spark_home")
    env = {**_base_environment(), "HANDOFF_SPARK_DIR": str(spark_dir)}
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    return settings.spark_session_environment(env)


@pytest.fixture(scope="session")
def spark_build(spark_environment, tmp_path_factory: pytest.TempPathFactory) -> Build:
    load_raw("spark", spark_environment)
    root = tmp_path_factory.mktemp("engine_spark")
    return build_and_dump("spark", root, spark_environment, unit_tests=True)


# ---------- comparing ----------


def assert_build_passed(build: Build) -> None:
    assert build.returncode == 0, f"dbt build on {build.engine} failed:\n{build.output[-6000:]}"
    results = build.run_results()
    failed = [r["unique_id"] for r in results if r["status"] not in ("success", "pass", "warn")]
    assert not failed, f"{build.engine}: {failed}"
    unit_tests = {r["unique_id"] for r in results if r["unique_id"].startswith("unit_test.")}
    built_models = {r["unique_id"] for r in results if r["unique_id"].startswith("model.")}
    expected_unit_tests = {
        unique_id
        for unique_id, unit_test in build.manifest()["unit_tests"].items()
        if set(unit_test["depends_on"]["nodes"]) & built_models
    }
    assert unit_tests == expected_unit_tests and unit_tests, "every unit test of a built model ran"


def assert_marts_match(reference: Build, build: Build) -> None:
    """build has every mart DuckDB has, with DuckDB's rows."""
    assert_build_passed(build)
    missing = set(reference.marts) - set(build.marts)
    assert not missing, f"{build.engine} did not build {sorted(missing)}"
    assert build.marts
    ignored = run_specific_columns(reference.manifest())
    problems = [
        problem
        for name in sorted(build.marts)
        for problem in mart_differences(
            name, reference.marts[name], build.marts[name], ignored.get(name, set())
        )
    ]
    assert not problems, f"{build.engine} differs from DuckDB:\n" + "\n".join(problems)


# ---------- tests ----------


def test_the_comparison_covers_the_contract(duckdb_build: Build) -> None:
    manifest = duckdb_build.manifest()
    compared = compared_marts(manifest)
    in_project = [name for name in contract_mart_names() if name in compared]
    assert {"leads", "lead_assignments", "lead_sla"} <= set(in_project)
    assert set(compared) == set(duckdb_build.marts)
    # a mart with rows on DuckDB makes a real comparison (the fixtures route and breach)
    assert all(
        duckdb_build.marts[name]["rows"] for name in ("leads", "lead_assignments", "lead_sla")
    )


def test_mart_differences_are_found() -> None:
    reference = {
        "columns": ["id", "at", "score"],
        "rows": [["a", "2026-03-01 10:00:00.000000", 1.5]],
    }
    assert mart_differences("m", reference, reference) == []
    nearly = {
        "columns": ["id", "at", "score"],
        "rows": [["a", "2026-03-01 10:00:00.000000", 1.5 + 1e-13]],
    }
    assert mart_differences("m", reference, nearly) == []
    later = {"columns": ["id", "at", "score"], "rows": [["a", "2026-03-01 10:00:00.000001", 1.5]]}
    assert "at=" in mart_differences("m", reference, later)[0]
    off = {"columns": ["id", "at", "score"], "rows": [["a", "2026-03-01 10:00:00.000000", 1.51]]}
    assert "score=" in mart_differences("m", reference, off)[0]
    assert "rows" in mart_differences("m", reference, {**reference, "rows": []})[0]
    rebuilt = {"columns": ["id", "at", "score"], "rows": [["a", "2026-11-29 17:00:00.000000", 1.5]]}
    assert "at=" in mart_differences("m", reference, rebuilt)[0]
    assert mart_differences("m", reference, rebuilt, ignored={"at"}) == []
    assert "score=" in mart_differences("m", reference, off, ignored={"at"})[0]


def test_only_run_specific_columns_are_left_out(duckdb_build: Build) -> None:
    """The comparison skips the values of a few build-clock columns, never a contract mart's.
    (The build stamps of the incremental scoring models are run specific too; no mart.)"""
    manifest = duckdb_build.manifest()
    compared = set(compared_marts(manifest))
    ignored = {
        name: columns
        for name, columns in run_specific_columns(manifest).items()
        if columns and name in compared
    }
    assert ignored == {
        "raw_volume_history": {"build_id", "built_at", "last_loaded_at"},
        "raw_volume_changes": {
            "build_id",
            "built_at",
            "last_loaded_at",
            "previous_last_loaded_at",
        },
    }
    assert not set(ignored) & set(contract_mart_names())


def test_postgres_builds_and_matches_duckdb(duckdb_build: Build, postgres_build: Build) -> None:
    assert_marts_match(duckdb_build, postgres_build)


# one row per build and raw table: a second build adds its own
BUILD_HISTORY_MARTS = ("raw_volume_history", "raw_volume_changes")


def test_postgres_builds_again_incrementally(
    duckdb_build: Build, postgres_build: Build, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A second build on PostgreSQL takes the incremental paths (staging of the touched keys,
    scoring of the touched leads: none here) and leaves every mart as it was."""
    assert_build_passed(postgres_build)
    root = tmp_path_factory.mktemp("engine_postgres_again")
    again = build_and_dump("postgres", root, postgres_build.env, False)
    compiled = (again.target / "compiled").rglob("int_lead_score_moments.sql")
    assert "touched_leads" in next(compiled).read_text(), "the scoring ran incrementally"
    assert again.returncode == 0, again.output[-6000:]
    ignored = run_specific_columns(duckdb_build.manifest())
    problems = [
        problem
        for name in sorted(set(again.marts) - set(BUILD_HISTORY_MARTS))
        for problem in mart_differences(
            name, duckdb_build.marts[name], again.marts[name], ignored.get(name, set())
        )
    ]
    assert again.marts and not problems, "\n".join(problems)


def test_spark_builds_and_matches_duckdb(duckdb_build: Build, spark_build: Build) -> None:
    assert_marts_match(duckdb_build, spark_build)
    assert {"leads", "lead_assignments", "lead_sla", "sla_alerts"} <= set(spark_build.marts)
