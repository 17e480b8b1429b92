"""`ops.loads`: one row per file every `handoff load` (and the inbox) loaded or skipped.

Written in the load's own transaction, so the ledger and the raw tables never disagree: a
refused or failed load leaves neither a row here nor a row in `raw`. dbt reads it as the
source `ops.loads` (models/staging/ops/_ops__sources.yml); `dbt run --full-refresh` never
touches it (dbt does not own the table).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from datetime import datetime

import duckdb

OPS_SCHEMA = "ops"
LEDGER_TABLE = f"{OPS_SCHEMA}.loads"
MODES = ("replace", "append", "skipped")


@dataclass(frozen=True)
class LedgerRow:
    load_id: str
    loaded_at: datetime
    table_name: str
    file_name: str
    source_dir: str
    source_label: str | None
    checksum: str
    file_bytes: int
    row_count: int
    previous_row_count: int | None
    mode: str
    is_forced: bool
    note: str | None


# Column types of ops.loads, in LedgerRow's order (the dataclass is the row's definition).
COLUMN_TYPES = {
    "load_id": "varchar not null",
    "loaded_at": "timestamp not null",
    "table_name": "varchar not null",
    "file_name": "varchar not null",
    "source_dir": "varchar not null",
    "source_label": "varchar",
    "checksum": "varchar not null",
    "file_bytes": "bigint not null",
    "row_count": "bigint not null",
    "previous_row_count": "bigint",
    "mode": f"varchar not null check (mode in ({', '.join(repr(m) for m in MODES)}))",
    "is_forced": "boolean not null",
    "note": "varchar",
}
assert list(COLUMN_TYPES) == [field.name for field in fields(LedgerRow)]


def ensure_ledger(connection: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{name} {data_type}" for name, data_type in COLUMN_TYPES.items())
    connection.execute(f"create schema if not exists {OPS_SCHEMA}")
    connection.execute(f"create table if not exists {LEDGER_TABLE} ({columns})")


def record(connection: duckdb.DuckDBPyConnection, rows: list[LedgerRow]) -> None:
    if rows:
        placeholders = ", ".join("?" for _ in COLUMN_TYPES)
        connection.executemany(
            f"insert into {LEDGER_TABLE} ({', '.join(COLUMN_TYPES)}) values ({placeholders})",
            [list(astuple(row)) for row in rows],
        )


def rows_in_table(
    connection: duckdb.DuckDBPyConnection, table_name: str, checksum: str
) -> tuple[str, datetime] | None:
    """The earlier load of this exact file whose rows are still in the table, if any.

    Rows stay in the table from their load until the table is next replaced, so a file appended
    again after a replace is new data again; before it, it is a repeat.
    """
    row = connection.execute(
        f"""
        select file_name, loaded_at from {LEDGER_TABLE}
        where table_name = $table and checksum = $checksum and mode in ('replace', 'append')
            and loaded_at >= coalesce(
                (select max(loaded_at) from {LEDGER_TABLE}
                 where table_name = $table and mode = 'replace'),
                timestamp '-infinity'
            )
        order by loaded_at
        limit 1
        """,
        {"table": table_name, "checksum": checksum},
    ).fetchone()
    return (row[0], row[1]) if row else None
