"""`handoff dev`: prepare the dbt manifest, then run the Dagster UI on this project."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from handoff import dbt_cli, settings
from handoff.warehouse import HandoffError

DAGSTER_HOME = settings.DATA_DIR / "dagster_home"
DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def ensure_dagster_home(home: Path = DAGSTER_HOME) -> Path:
    """Create DAGSTER_HOME with a dagster.yaml that turns telemetry off (an existing one stays)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home


def dagster_executable() -> str:
    found = settings.executable("dagster")
    if not found:
        raise HandoffError("dagster is not installed: run `make` (it sets up .venv)")
    return found


def dev_command(host: str, port: int) -> list[str]:
    return [dagster_executable(), "dev", "-m", "handoff.definitions", "-h", host, "-p", str(port)]


def dev_environment(home: Path) -> dict[str, str]:
    return dbt_cli.environment(overrides={"DAGSTER_HOME": str(home)})


def prepare() -> None:
    """Write target/manifest.json (the Dagster definitions read it at import)."""
    try:
        from handoff.dbt_project import prepare_manifest
    except ImportError as error:
        raise HandoffError(f"the Dagster project is not available: {error}") from error
    try:
        prepare_manifest()
    except RuntimeError as error:  # dbt_project.ManifestError
        raise HandoffError(str(error)) from error


def run_dev(host: str = "127.0.0.1", port: int = 3000, home: Path | None = None) -> None:
    """Prepare, then replace this process with `dagster dev` (Ctrl-C stops it cleanly)."""
    prepare()
    home = ensure_dagster_home(home or DAGSTER_HOME)
    command = dev_command(host, port)
    os.chdir(settings.PROJECT_DIR)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, dev_environment(home))
