"""The raw-table contract, read from the dbt source declarations (one source of truth)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from handoff.settings import PROJECT_DIR, RAW_SCHEMA


@dataclass(frozen=True)
class RawTable:
    name: str
    source: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    data_types: dict[str, str]


@cache
def raw_tables(project_dir: Path = PROJECT_DIR) -> dict[str, RawTable]:
    """Contract tables by name, in the order the source files declare them.

    Only sources in the raw schema: `ops` (the load ledger, ...) is written by the project itself.
    """
    tables: dict[str, RawTable] = {}
    for path in sorted((project_dir / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            if not _in_raw_schema(str(source.get("schema", ""))):
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


def _in_raw_schema(schema: str) -> bool:
    """`raw`, or the raw sources' `{{ var('raw_schema', 'raw') }}`."""
    return schema == RAW_SCHEMA or "var('raw_schema'" in schema.replace('"', "'")
