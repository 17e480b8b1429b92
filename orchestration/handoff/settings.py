"""Where things are: the dbt project, its profiles, the warehouse file. All overridable by env."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# The package is installed editable from the repository, whose root holds dbt_project.yml.
PROJECT_DIR = Path(os.environ.get("HANDOFF_PROJECT_DIR", Path(__file__).resolve().parents[2]))
PROFILES_DIR = PROJECT_DIR
DATA_DIR = PROJECT_DIR / "data"
RAW_SCHEMA = "raw"


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
