"""Run `dbt build` in a subprocess, streaming its output, with `as_of` as the run's "now".

No DuckDB connection is held while dbt runs: the preflight check opens and closes the file,
and the summary afterwards opens it again read-only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml

from handoff import settings
from handoff.warehouse import HandoffError, connect

AS_OF_FORMAT = "%Y-%m-%d %H:%M:%S"


class BuildError(HandoffError):
    """The build could not be started (bad arguments, no dbt, warehouse in use)."""


def parse_as_of(text: str) -> str:
    """An ISO date or timestamp as dbt's `as_of` var: UTC, 'YYYY-MM-DD HH:MM:SS'.

    Accepts 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' (or with 'T'), an optional 'Z' or UTC offset
    (converted to UTC), and 'now'. Fractions of a second are dropped.
    """
    value = text.strip()
    if value.lower() == "now":
        return now_as_of()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) < 10 or value[4] != "-":
        raise BuildError(
            f"--as-of {text!r} is not a timestamp: use UTC 'YYYY-MM-DD HH:MM:SS' "
            "(or 'YYYY-MM-DD', an ISO timestamp with offset, or 'now')"
        )
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.strftime(AS_OF_FORMAT)


def now_as_of() -> str:
    return datetime.now(UTC).strftime(AS_OF_FORMAT)


def dbt_executable() -> str:
    """The dbt next to this interpreter (the venv's), else the one on PATH."""
    sibling = Path(sys.executable).parent / "dbt"
    if sibling.is_file() and os.access(sibling, os.X_OK):
        return str(sibling)
    found = shutil.which("dbt")
    if not found:
        raise BuildError("dbt is not installed: run `make` (it sets up .venv) or activate .venv")
    return found


def dbt_build_command(
    as_of: str | None,
    select: Sequence[str] = (),
    dbt_args: Sequence[str] = (),
    unit_tests: bool = False,
) -> list[str]:
    """`dbt build` with the pass-through flags, `--vars` carrying as_of, then `--select`.

    Unit tests check the SQL against hand-written inputs: CI runs them on the fixtures; a build
    over production data skips them (their inputs assume text raw columns, as CSV loads).
    """
    args = list(dbt_args)
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    variables: dict = {}
    for flag in ("--vars", "--var"):
        while flag in args:
            index = args.index(flag)
            if index + 1 >= len(args):
                raise BuildError(f"{flag} needs a value, e.g. {flag} '{{as_of: 2026-03-20}}'")
            variables.update(_parse_vars(args[index + 1]))
            del args[index : index + 2]
    if as_of is not None:
        variables["as_of"] = as_of
    command = [dbt_executable(), "build", *args]
    if variables:
        command += ["--vars", yaml.safe_dump(variables, default_flow_style=True).strip()]
    selectors = [part for value in select for part in value.split()]
    if selectors:
        command += ["--select", *selectors]
    return command


def _parse_vars(text: str) -> dict:
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BuildError(f"--vars {text!r} is not YAML: {error}") from error
    if not isinstance(parsed, dict):
        raise BuildError(f"--vars {text!r} must be a mapping, e.g. '{{as_of: 2026-03-20}}'")
    return parsed


def check_warehouse(database: Path) -> None:
    """Fail early, clearly, when the warehouse is not loaded or another process holds it."""
    if not database.exists():
        raise BuildError(
            f"warehouse {database} does not exist: load raw data first (`handoff load DIR`)"
        )
    with connect(database, read_only=True):
        pass


def run_dbt_build(
    as_of: str | None = None,
    select: Sequence[str] = (),
    dbt_args: Sequence[str] = (),
    database: Path | None = None,
    unit_tests: bool = False,
) -> int:
    """Run `dbt build`, streaming its output to stdout; dbt's exit code."""
    return run_dbt(dbt_build_command(as_of, select, dbt_args, unit_tests), database)


def run_dbt(
    command: list[str], database: Path | None = None, extra_env: dict[str, str] | None = None
) -> int:
    """Run a dbt command against the warehouse, streaming its output; dbt's exit code."""
    database = database or settings.duckdb_path()
    env = settings.dbt_environment()
    env["HANDOFF_DUCKDB_PATH"] = str(database)
    env.update(extra_env or {})
    if env.get("HANDOFF_TARGET", "duckdb") == "duckdb":
        check_warehouse(database)
    if not sys.stdout.isatty():
        env.setdefault("DBT_USE_COLORS", "false")
    return stream(command, cwd=settings.PROJECT_DIR, env=env)


def stream(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Run a command, copying its output line by line to our stdout; its exit code."""
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
    except OSError as error:
        raise BuildError(f"cannot run {command[0]}: {error}") from error
    try:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 130
    finally:
        if process.stdout is not None:
            process.stdout.close()
