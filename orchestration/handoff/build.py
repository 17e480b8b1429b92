"""Run dbt in a subprocess against the warehouse, streaming its output.

The arguments come from `handoff.dbt_cli`. No DuckDB connection is held while dbt runs: the
preflight check opens and closes the file, and the summary afterwards opens it again read-only.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from handoff import dbt_cli, schemas, settings
from handoff.warehouse import HandoffError, connect


class BuildError(HandoffError):
    """The build could not be started (the warehouse is missing or in use)."""


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
    """Run `dbt build` (`dbt_cli.build_args`), streaming its output to stdout; dbt's exit code."""
    return run_dbt(dbt_cli.build_args(as_of, select, dbt_args, unit_tests), database)


def run_dbt(
    args: list[str], database: Path | None = None, extra_env: dict[str, str] | None = None
) -> int:
    """Run `dbt <args>` against the warehouse, streaming its output; dbt's exit code."""
    database = database or settings.duckdb_path()
    env = dbt_cli.environment(database, extra_env)
    if schemas.uses_embedded_duckdb():
        check_warehouse(database)
    if not sys.stdout.isatty():
        env.setdefault("DBT_USE_COLORS", "false")
    return stream(dbt_cli.command(args), cwd=settings.PROJECT_DIR, env=env)


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
