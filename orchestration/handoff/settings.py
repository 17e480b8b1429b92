"""Where things are: the dbt project, its profiles, the warehouse file. All overridable by env."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

# The package is installed editable from the repository, whose root holds dbt_project.yml.
PROJECT_DIR = Path(os.environ.get("HANDOFF_PROJECT_DIR", Path(__file__).resolve().parents[2]))
PROFILES_DIR = PROJECT_DIR
DATA_DIR = PROJECT_DIR / "data"
RAW_SCHEMA = "raw"
SPARK_LOG_CONFIG = PROJECT_DIR / "scripts" / "engines" / "spark-log4j2.properties"


def duckdb_path() -> Path:
    """The embedded warehouse file: HANDOFF_DUCKDB_PATH, or data/handoff.duckdb."""
    configured = os.environ.get("HANDOFF_DUCKDB_PATH")
    path = Path(configured) if configured else DATA_DIR / "handoff.duckdb"
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def pin_duckdb_path() -> None:
    """Make a relative HANDOFF_DUCKDB_PATH absolute in this process's environment, for good.

    For processes whose child processes must find the same file from another folder (Dagster's
    code location: dbt runs in the project folder). Call it once, at start-up.
    """
    configured = os.environ.get("HANDOFF_DUCKDB_PATH")
    if configured and not Path(configured).is_absolute():
        os.environ["HANDOFF_DUCKDB_PATH"] = str(duckdb_path())


def executable(name: str) -> str | None:
    """A command installed next to this interpreter (the venv's), else on PATH, else None.

    Dagster's code server and run workers are started with the venv's python but not always
    with the venv on PATH, so the sibling of `sys.executable` comes first.
    """
    sibling = Path(sys.executable).parent / name
    if sibling.is_file() and os.access(sibling, os.X_OK):
        return os.fspath(sibling)
    return shutil.which(name)


def spark_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where a local Spark keeps its Hive metastore, derby.log and tables: HANDOFF_SPARK_DIR of
    `env` (default: this process's environment)."""
    configured = (os.environ if env is None else env).get("HANDOFF_SPARK_DIR")
    path = Path(configured) if configured else DATA_DIR / "spark"
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def spark_session_environment(env: dict[str, str]) -> dict[str, str]:
    """`env` plus what a local Spark session (dbt-spark's `session` method) needs.

    The JVM it starts reads PYSPARK_SUBMIT_ARGS: two cores, no web UI, loopback only, and its
    metastore, derby.log and table files under spark_dir() rather than the working directory.
    A cluster (HANDOFF_SPARK_METHOD thrift or http) ignores all of this. An explicit
    PYSPARK_SUBMIT_ARGS wins.
    """
    env = dict(env)
    home = spark_dir(env)  # the environment the session starts in, not ours
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    env.setdefault(
        "PYSPARK_SUBMIT_ARGS",
        " ".join(
            [
                f"--master {env.get('HANDOFF_SPARK_MASTER', 'local[2]')}",
                f"--driver-memory {env.get('HANDOFF_SPARK_DRIVER_MEMORY', '2g')}",
                "--conf spark.ui.enabled=false",
                f"--conf spark.sql.warehouse.dir={home / 'warehouse'}",
                "--conf spark.hadoop.javax.jdo.option.ConnectionURL="
                f"'jdbc:derby:;databaseName={home / 'metastore_db'};create=true'",
                "--conf spark.ui.showConsoleProgress=false",
                "--driver-java-options "
                f"'-Dderby.system.home={home} -Dlog4j2.configurationFile={SPARK_LOG_CONFIG}'",
                "pyspark-shell",
            ]
        ),
    )
    return env
