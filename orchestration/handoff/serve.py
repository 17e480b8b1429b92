"""`handoff serve` (the Dagster daemon: sensors, schedules, run queue) and `handoff dev` (the same
plus the UI): the operational loop of docs/operations.md.

Both write the dagster.yaml the loop needs into DAGSTER_HOME (default data/dagster_home), prepare
the dbt manifest, then run Dagster as a child in its own process group. SIGTERM or Ctrl-C is passed
to the whole group (the daemon, its code server and any run worker with its dbt process), and
serve returns when they have exited.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from handoff import dbt_cli, settings
from handoff.warehouse import HandoffError

DEFAULT_DAGSTER_HOME = settings.DATA_DIR / "dagster_home"
MARKER = "# Written by `handoff serve` / `handoff dev`"
# What `handoff dev` wrote before the loop existed: replaced like our own file.
OLD_DAGSTER_YAML = "telemetry:\n  enabled: false\n"
DAGSTER_YAML = f"""{MARKER}: the operational loop's Dagster instance.
# Remove the first line to keep your own edits (the commands then leave this file alone).
telemetry:
  enabled: false
# Runs wait in a queue the daemon looks at every second ...
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    dequeue_interval_seconds: 1
# ... and a run that writes the warehouse (its ops are in pool handoff_warehouse) starts only when
# no other such run is in progress: DuckDB takes one writer at a time.
concurrency:
  pools:
    default_limit: 1
    granularity: run
"""
STOP_SECONDS = 60


def dagster_home() -> Path:
    configured = os.environ.get("DAGSTER_HOME")
    return Path(configured).resolve() if configured else DEFAULT_DAGSTER_HOME


def ensure_dagster_home(home: Path | None = None) -> Path:
    """DAGSTER_HOME with the loop's dagster.yaml (a file someone else wrote stays as it is)."""
    home = home or dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if config.exists():
        text = config.read_text()
        if not text.startswith(MARKER) and text != OLD_DAGSTER_YAML:
            return home
    config.write_text(DAGSTER_YAML)
    return home


def _executable(name: str) -> str:
    found = settings.executable(name)
    if not found:
        raise HandoffError(f"{name} is not installed: run `make` (it sets up .venv)")
    return found


def daemon_command() -> list[str]:
    return [_executable("dagster-daemon"), "run", "-m", "handoff.definitions"]


def dev_command(host: str, port: int) -> list[str]:
    return [_executable("dagster"), "dev", "-m", "handoff.definitions", "-h", host, "-p", str(port)]


def environment(home: Path) -> dict[str, str]:
    """The children's environment: DAGSTER_HOME, the warehouse path made absolute."""
    settings.pin_duckdb_path()
    return dbt_cli.environment(overrides={"DAGSTER_HOME": str(home)})


# What dbt parses: a manifest newer than all of it is current (a `handoff build` writes one too).
PARSED_PATHS = (
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests/dbt",
    "dbt_project.yml",
    "selectors.yml",
    "profiles.yml",
)


def manifest_is_current(manifest: Path, project_dir: Path = settings.PROJECT_DIR) -> bool:
    """Whether `manifest` is newer than every file dbt parses (then `dbt parse` can be skipped)."""
    if not manifest.exists():
        return False
    written = manifest.stat().st_mtime
    for name in PARSED_PATHS:
        path = project_dir / name
        files = path.rglob("*") if path.is_dir() else [path]
        if any(file.is_file() and file.stat().st_mtime > written for file in files):
            return False
    return True


def prepare() -> None:
    """Write target/manifest.json (the Dagster definitions read it at import), unless current.

    Skipping a parse that would change nothing starts the loop seconds sooner: the first drops'
    latency counts from the moment serve starts.
    """
    try:
        from handoff.dbt_project import handoff_dbt_project, prepare_manifest
    except ImportError as error:
        raise HandoffError(f"the Dagster project is not available: {error}") from error
    if manifest_is_current(handoff_dbt_project.manifest_path):
        return
    try:
        prepare_manifest()
    except RuntimeError as error:  # dbt_project.ManifestError
        raise HandoffError(str(error)) from error


def run_group(command: list[str], env: dict[str, str]) -> int:
    """Run `command` in its own process group until it exits; SIGTERM/SIGINT stop the group."""
    sys.stdout.flush()
    process = subprocess.Popen(command, cwd=settings.PROJECT_DIR, env=env, start_new_session=True)
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            os.killpg(process.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                code = process.wait(timeout=STOP_SECONDS if stopping else None)
                break
            except subprocess.TimeoutExpired:  # a child ignored SIGTERM for a minute
                os.killpg(process.pid, signal.SIGKILL)
        _stop_leftovers(process.pid)
        return 0 if stopping else code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_leftovers(group: int) -> None:
    """Members of the group that outlive its leader get SIGTERM, then SIGKILL after a minute."""
    deadline = time.monotonic() + STOP_SECONDS
    sent = signal.SIGTERM
    while True:
        try:
            os.killpg(group, sent if sent else 0)
        except ProcessLookupError:
            return
        sent = None
        if time.monotonic() > deadline:
            os.killpg(group, signal.SIGKILL)
            return
        time.sleep(0.2)


def serve(home: Path | None = None) -> int:
    """Prepare, then run the Dagster daemon until SIGTERM/Ctrl-C; its exit code."""
    prepare()
    home = ensure_dagster_home(home)
    return run_group(daemon_command(), environment(home))


def dev(host: str, port: int, home: Path | None = None) -> int:
    """Prepare, then run `dagster dev` (daemon + UI) until SIGTERM/Ctrl-C; its exit code."""
    prepare()
    home = ensure_dagster_home(home)
    return run_group(dev_command(host, port), environment(home))
