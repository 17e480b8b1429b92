"""The dbt project as Dagster sees it, and the build-time step that writes its manifest.

Dagster reads `manifest.json` when `handoff.definitions` is imported; importing never runs dbt.
The manifest is prepared ahead of time by `prepare_manifest()` (`make manifest`, `handoff dev`,
or `python -m handoff.dbt_project`). Under `dagster dev` only, `prepare_if_dev()` re-parses on
every code reload so edits to models show up without a separate step.

The target folder follows `DBT_TARGET_PATH` (default `target`, relative to the project), like dbt
itself, so parallel checkouts and test sessions each read the manifest they parsed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from dagster import EnvVar
from dagster_dbt import DbtCliResource, DbtProject

from handoff import dbt_cli, schemas, settings


class ManifestError(RuntimeError):
    """The dbt manifest is missing or could not be written."""


def target_path() -> Path:
    """dbt's target folder: DBT_TARGET_PATH (relative to the project, as dbt reads it) or target."""
    return Path(os.environ.get("DBT_TARGET_PATH") or "target")


handoff_dbt_project = DbtProject(
    project_dir=settings.PROJECT_DIR,
    profiles_dir=settings.PROFILES_DIR,
    target_path=target_path(),
)


def dbt_target() -> str:
    """The profiles.yml output: HANDOFF_TARGET (read late, via Dagster's EnvVar), else duckdb."""
    return EnvVar("HANDOFF_TARGET") if os.environ.get("HANDOFF_TARGET") else schemas.DEFAULT_TARGET


def dbt_cli_resource(project: DbtProject = handoff_dbt_project) -> DbtCliResource:
    """The `dbt` resource: this project, its in-repo profiles, the venv's dbt executable."""
    return DbtCliResource(
        project_dir=project,
        profiles_dir=os.fspath(project.profiles_dir),
        target=dbt_target(),
        dbt_executable=dbt_cli.dbt_executable(),
    )


def prepare_manifest(project: DbtProject = handoff_dbt_project) -> Path:
    """Run `dbt parse` (`dbt_cli.parse_args`); return the manifest's path."""
    env = dbt_cli.environment(overrides={"DBT_TARGET_PATH": os.fspath(project.target_path)})
    command = dbt_cli.command(dbt_cli.parse_args())
    try:
        result = subprocess.run(
            command,
            cwd=project.project_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise ManifestError(
            f"cannot run {command[0]!r}: install the project first (`make`) or activate .venv"
        ) from error
    if result.returncode != 0 or not project.manifest_path.exists():
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-40:])
        raise ManifestError(
            f"`dbt parse` failed in {project.project_dir} (exit {result.returncode}); "
            f"no manifest at {project.manifest_path}:\n{output}"
        )
    return project.manifest_path


def prepare_if_dev(project: DbtProject = handoff_dbt_project) -> None:
    """Under `dagster dev` only: re-parse so a code reload sees the current models."""
    if project.preparer.using_dagster_dev():
        prepare_manifest(project)


def require_manifest(project: DbtProject = handoff_dbt_project) -> Path:
    """The manifest path, or a clear error telling how to create it (never runs dbt)."""
    if not project.manifest_path.exists():
        raise ManifestError(
            f"dbt manifest not found at {project.manifest_path}. The Dagster definitions read it "
            "at import time and do not run dbt themselves: run `make manifest` or `handoff dev` "
            "(both run `dbt parse` through handoff.dbt_project.prepare_manifest()) with the same "
            "DBT_TARGET_PATH, or start `dagster dev`, which prepares it."
        )
    return project.manifest_path


if __name__ == "__main__":
    print(prepare_manifest())
