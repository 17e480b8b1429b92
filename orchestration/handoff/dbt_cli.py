"""Every dbt command this project runs, built in one place: pure functions -> argument lists.

`handoff build`, the Dagster dbt asset, `handoff route-preview`, the manifest step (`dbt parse`)
and the tests take their arguments and environment from here, so a flag, the way `as_of`
travels (`--vars`, always the canonical UTC form from `handoff.as_of`) or the rule that
production builds skip unit tests is written once. Running the command is the caller's job
(`handoff.build` streams it, `handoff.dbt_project` captures it, Dagster's `DbtCliResource`
runs the asset's).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from handoff import settings
from handoff.as_of import parse_as_of
from handoff.warehouse import HandoffError

VARS_FLAGS = ("--vars", "--var")


class DbtCommandError(HandoffError):
    """A dbt command could not be put together (bad pass-through flags, no dbt installed)."""


def dbt_executable() -> str:
    """The venv's dbt (`settings.executable`), else the one on PATH."""
    found = settings.executable("dbt")
    if not found:
        raise DbtCommandError(
            "dbt is not installed: run `make` (it sets up .venv) or activate .venv"
        )
    return found


def command(args: Sequence[str]) -> list[str]:
    """A full command line: the dbt executable, then `args`."""
    return [dbt_executable(), *args]


def environment(
    database: Path | None = None, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Environment for a dbt process: profiles in the repository, the warehouse path absolute.

    dbt runs in the project folder, so a relative HANDOFF_DUCKDB_PATH (meant relative to where
    the caller runs) is resolved here; `database` replaces it (route-preview's copy, tests). On
    the spark target, the local Spark session's settings are added
    (`settings.spark_session_environment`).
    """
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", os.fspath(settings.PROFILES_DIR))
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env["HANDOFF_DUCKDB_PATH"] = os.fspath(database or settings.duckdb_path())
    env.update(overrides or {})
    if env.get("HANDOFF_TARGET") == "spark":
        env = settings.spark_session_environment(env)
    return env


# ---------------------------------------------------------------------------------------------
# argument lists (no executable: DbtCliResource.cli adds its own)


def vars_args(variables: Mapping[str, Any]) -> list[str]:
    """`--vars` with a JSON mapping (JSON is YAML, as dbt reads it); nothing when empty."""
    return ["--vars", json.dumps(dict(variables), default=str)] if variables else []


def build_args(
    as_of: str | None = None,
    select: Iterable[str] = (),
    passthrough: Sequence[str] = (),
    unit_tests: bool = False,
) -> list[str]:
    """`dbt build`: pass-through flags, one `--vars` carrying as_of, then `--select`.

    `--vars` among the pass-through flags are merged into that one `--vars` (dbt keeps only the
    last), `as_of` given here wins over one passed there, and either goes through the as_of
    parser. Unit tests check the SQL on hand-written inputs: CI runs them on the fixtures; a
    build over production data skips them.
    """
    args, variables = _split_vars(passthrough)
    if as_of is not None:
        variables["as_of"] = as_of
    if variables.get("as_of") not in (None, ""):
        variables["as_of"] = parse_as_of(variables["as_of"])
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    selectors = [part for value in select for part in value.split()]
    return [
        "build",
        *args,
        *vars_args(variables),
        *(["--select", *selectors] if selectors else []),
    ]


def selector_build_args(selector: str, as_of: str | None = None) -> list[str]:
    """`dbt build` of a named selector (selectors.yml) for the operational loop.

    No `--vars` unless as_of is pinned: dbt's start is then "now" and dbt keeps its partial
    parse (changed vars force a full re-parse). The selector itself leaves out seeds and unit
    tests.
    """
    variables = {"as_of": parse_as_of(as_of)} if as_of else {}
    return ["build", "--selector", selector, *vars_args(variables)]


def run_args(select: Sequence[str], as_of: str, *, quiet: bool = True) -> list[str]:
    """`dbt run` of the selected models with as_of pinned (route-preview's routing pass)."""
    return ["run", *_quiet(quiet), "--select", *select, *vars_args({"as_of": parse_as_of(as_of)})]


def dbt_test_args(select: Sequence[str], as_of: str, exclude: Sequence[str] = ()) -> list[str]:
    """`dbt test` of the selected nodes, minus `exclude`, with as_of pinned."""
    return [
        "test",
        "--select",
        *select,
        *(["--exclude", *exclude] if exclude else []),
        *vars_args({"as_of": parse_as_of(as_of)}),
    ]


def compile_args(select: Sequence[str], as_of: str, *, quiet: bool = True) -> list[str]:
    """`dbt compile` of the selected nodes with as_of pinned (its SQL lands in target/)."""
    return [
        "compile",
        *_quiet(quiet),
        "--select",
        *select,
        *vars_args({"as_of": parse_as_of(as_of)}),
    ]


def parse_args() -> list[str]:
    """`dbt parse`: writes target/manifest.json, the Dagster definitions' input."""
    return ["--no-use-colors", "parse", "--quiet"]


def _quiet(quiet: bool) -> list[str]:
    return ["--quiet"] if quiet else []


def _split_vars(passthrough: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """The pass-through flags without any `--vars`/`--var`, and those vars merged in order."""
    args: list[str] = []
    variables: dict[str, Any] = {}
    items = iter(passthrough)
    for arg in items:
        flag, equals, inline = arg.partition("=")
        if flag not in VARS_FLAGS:
            args.append(arg)
            continue
        text = inline if equals else next(items, None)
        if text is None:
            raise DbtCommandError(f"{flag} needs a value, e.g. {flag} '{{as_of: 2026-03-20}}'")
        variables.update(_parse_vars(flag, text))
    return args, variables


def _parse_vars(flag: str, text: str) -> dict[str, Any]:
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DbtCommandError(f"{flag} {text!r} is not YAML: {error}") from error
    if not isinstance(parsed, dict):
        raise DbtCommandError(f"{flag} {text!r} must be a mapping, e.g. '{{as_of: 2026-03-20}}'")
    return parsed
