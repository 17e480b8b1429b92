"""The raw-table contract, read from the dbt source declarations (one source of truth)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from handoff.settings import PROJECT_DIR


@dataclass(frozen=True)
class RawTable:
    name: str
    source: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    data_types: dict[str, str]


def is_raw_source(source: dict) -> bool:
    """Raw contract sources live in var('raw_schema'); operational ones (schema ops) do not."""
    return "raw_schema" in str(source.get("schema", ""))


@cache
def raw_tables(project_dir: Path = PROJECT_DIR) -> dict[str, RawTable]:
    """Contract tables by name, in the order the source files declare them."""
    tables: dict[str, RawTable] = {}
    for path in sorted((project_dir / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if not is_raw_source(source):
                continue
            for table in source["tables"]:
                columns = table["columns"]
                tables[table["name"]] = RawTable(
                    name=table["name"],
                    source=source["name"],
                    columns=tuple(c["name"] for c in columns),
                    required=tuple(
                        c["name"] for c in columns if (c.get("meta") or {}).get("required")
                    ),
                    data_types={c["name"]: c.get("data_type", "varchar") for c in columns},
                )
    return tables
