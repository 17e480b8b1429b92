"""Comparing two builds' marts row for row: the engines (test_engines.py: PostgreSQL and Spark
against DuckDB) and the incremental runs (test_incremental.py: against a full build).

Which marts: every mart the contract names (docs/contract.md section 4) that exists in the
project, every model with an enforced contract and every other model of models/marts/. How:
rows sorted, floats within 1e-9 (relative), everything else exact (timestamps to the
microsecond, as scripts/engines/warehouse_io.py writes them).
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from pathlib import Path

from handoff import settings

ENGINE_SCRIPTS = settings.PROJECT_DIR / "scripts" / "engines"
CONTRACT = settings.PROJECT_DIR / "docs" / "contract.md"
FLOAT_TOLERANCE = 1e-9


def script_module(name: str):
    """A module of scripts/engines/ (not a package), imported by path."""
    spec = importlib.util.spec_from_file_location(name, ENGINE_SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# ---------- which marts to compare ----------


def contract_mart_names(contract: Path = CONTRACT) -> list[str]:
    """The models listed in the table of the contract's section 4, in order."""
    section = contract.read_text().split("\n## 4.", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


def compared_marts(manifest: dict) -> list[str]:
    """Contract marts the project has, every model whose contract is enforced, and the rest of
    models/marts/ (monitoring, history): everything other systems read."""
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    enforced = {name for name, node in models.items() if node["config"]["contract"]["enforced"]}
    marts = {name for name, node in models.items() if node["fqn"][1] == "marts"}
    return sorted({name for name in contract_mart_names() if name in models} | enforced | marts)


# ---------- comparing ----------


def _sort_key(row: list) -> tuple:
    """Nulls first, numbers by value (rounded, so float noise does not reorder rows)."""
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, bool):
            key.append((1, str(value)))
        elif isinstance(value, int | float):
            key.append((2, f"{value:.9g}"))
        else:
            key.append((3, str(value)))
    return tuple(key)


def _same_value(expected: object, actual: object) -> bool:
    numbers = (int, float)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        return math.isclose(expected, actual, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return expected == actual


def run_specific_columns(manifest: dict) -> dict[str, set[str]]:
    """Per model, the columns its YAML marks `meta: {run_specific: true}`: the build's own id
    or wall clock, or the load's (raw_volume_history.build_id, built_at, last_loaded_at). Two
    builds never agree on them, whatever the engine."""
    return {
        node["name"]: {
            column["name"]
            for column in node["columns"].values()
            if column.get("meta", {}).get("run_specific")
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }


def _without(dump: dict, ignored: set[str]) -> tuple[list[str], list[list]]:
    kept = [index for index, column in enumerate(dump["columns"]) if column not in ignored]
    return (
        [dump["columns"][index] for index in kept],
        [[row[index] for index in kept] for row in dump["rows"]],
    )


def mart_differences(
    name: str,
    expected: dict,
    actual: dict,
    ignored: set[str] = frozenset(),
    limit: int = 5,
    reference: str = "DuckDB",
) -> list[str]:
    """Readable differences between two dumps of one mart, leaving out the `ignored` columns
    (their values; both must still have them); empty when they match."""
    if expected["columns"] != actual["columns"]:
        return [f"{name}: columns {actual['columns']} != {reference}'s {expected['columns']}"]
    columns, expected_rows = _without(expected, ignored)
    _, actual_rows = _without(actual, ignored)
    expected_rows = sorted(expected_rows, key=_sort_key)
    actual_rows = sorted(actual_rows, key=_sort_key)
    if len(expected_rows) != len(actual_rows):
        return [f"{name}: {len(actual_rows)} rows, {reference} has {len(expected_rows)}"]
    problems = []
    for expected_row, actual_row in zip(expected_rows, actual_rows, strict=True):
        different = [
            f"{column}={actual_value!r} ({reference} {expected_value!r})"
            for column, expected_value, actual_value in zip(
                columns, expected_row, actual_row, strict=True
            )
            if not _same_value(expected_value, actual_value)
        ]
        if different:
            problems.append(
                f"{name} row {dict(zip(columns, expected_row, strict=True))}: "
                + ", ".join(different)
            )
        if len(problems) >= limit:
            break
    return problems
