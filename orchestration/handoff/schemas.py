"""The dbt target a build writes to, and the schema each layer lands in there.

The target is the profiles.yml output HANDOFF_TARGET names (default `duckdb`, the embedded
warehouse). macros/generate_schema_name.sql places every layer: a production target (var
`production_targets` in dbt_project.yml: `duckdb` and `postgres`) uses the layer schemas as they
are (staging, intermediate, marts, rules, ledger); any other target is a development target and
prefixes them with its own schema (`<target.schema>_marts`), so a developer's build never writes
where production reads. This module is the Python side's one copy of that rule: every query
that reads a layer names it with `relation()` (tests/python/test_schemas.py checks it against
the schemas dbt itself assigns, on a production and a development target).

Only the few profile fields needed here (`type`, `schema`) are rendered, with the same
`env_var()` dbt offers, and only those of the selected output, as dbt does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import yaml

from handoff import settings
from handoff.warehouse import HandoffError

DEFAULT_TARGET = "duckdb"
STAGING = "staging"
INTERMEDIATE = "intermediate"
MARTS = "marts"
RULES = "rules"
LEDGER = "ledger"


class TargetError(HandoffError):
    """profiles.yml has no such target, or a value of it cannot be rendered."""


@dataclass(frozen=True)
class Target:
    name: str
    type: str
    schema: str
    is_production: bool

    def schema_for(self, layer: str) -> str:
        """The schema dbt builds `layer` into on this target (generate_schema_name's rule)."""
        return layer if self.is_production else f"{self.schema}_{layer}"


def target_name() -> str:
    """The selected output of profiles.yml: HANDOFF_TARGET, else the embedded DuckDB."""
    return os.environ.get("HANDOFF_TARGET") or DEFAULT_TARGET


def active_target() -> Target:
    """The target the next dbt run writes to, as this process's environment selects it."""
    return _target(target_name(), _profiles_dir(), settings.PROJECT_DIR)


def relation(layer: str, name: str) -> str:
    """`<schema>.<name>` of a model, seed or ledger of `layer` on the active target."""
    return f"{active_target().schema_for(layer)}.{name}"


def uses_embedded_duckdb() -> bool:
    """Whether dbt builds into the DuckDB file HANDOFF_DUCKDB_PATH (a duckdb-type output)."""
    return active_target().type == "duckdb"


def production_targets(project_dir: Path = settings.PROJECT_DIR) -> frozenset[str]:
    """The var `production_targets` of dbt_project.yml (generate_schema_name reads the same)."""
    return frozenset(_project(project_dir)["vars"]["production_targets"])


def _profiles_dir() -> Path:
    return Path(os.environ.get("DBT_PROFILES_DIR") or settings.PROFILES_DIR)


@cache
def _project(project_dir: Path) -> dict:
    return yaml.safe_load((project_dir / "dbt_project.yml").read_text())


def _target(name: str, profiles_dir: Path, project_dir: Path) -> Target:
    profile_name = _project(project_dir)["profile"]
    path = profiles_dir / "profiles.yml"
    try:
        profile = yaml.safe_load(path.read_text())[profile_name]
    except (OSError, KeyError, TypeError) as error:
        raise TargetError(f"{path} has no profile {profile_name!r}: {error}") from error
    output = (profile.get("outputs") or {}).get(name)
    if output is None:
        known = ", ".join(sorted(profile.get("outputs") or {}))
        raise TargetError(f"HANDOFF_TARGET={name!r} is not an output of {path} ({known})")
    return Target(
        name=name,
        type=_render(output.get("type", ""), name, "type"),
        schema=_render(output.get("schema", ""), name, "schema"),
        is_production=name in production_targets(project_dir),
    )


def _env_var(name: str, default: str | None = None) -> str:
    if name in os.environ:
        return os.environ[name]
    if default is None:
        raise TargetError(f"environment variable {name} is not set and has no default")
    return default


_TEMPLATES = jinja2.Environment(undefined=jinja2.StrictUndefined)
_TEMPLATES.globals["env_var"] = _env_var
_TEMPLATES.filters.update({name: str for name in ("as_text", "as_number", "as_bool", "as_native")})


def _render(value: object, target: str, field: str) -> str:
    try:
        return _TEMPLATES.from_string(str(value)).render().strip()
    except jinja2.TemplateError as error:
        raise TargetError(f"target {target}: cannot render {field} {value!r}: {error}") from error
