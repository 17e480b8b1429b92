"""Opening the embedded DuckDB warehouse: one short-lived connection, clear errors.

DuckDB allows one writer process per file and a reader blocks a writer too, so every caller opens,
queries and closes; nothing holds a connection across a dbt run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class HandoffError(Exception):
    """A user-facing error: the CLI prints its message, without a traceback, and exits 1."""


class WarehouseBusyError(HandoffError):
    """Another process holds the warehouse file."""


@contextmanager
def connect(database: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to `database`, closed on exit; a lock held elsewhere becomes a clear error.

    Read-write connections create the file and its parent folders; read-only ones need it to exist.
    """
    database = Path(database)
    if read_only and not database.exists():
        raise HandoffError(f"warehouse {database} does not exist: load raw data first")
    if not read_only:
        database.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(database), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseBusyError(
                f"warehouse {database} is in use by another process (a dbt run, Dagster, a SQL "
                "client?): DuckDB allows one writer at a time. Close it and try again."
            ) from error
        raise HandoffError(f"cannot open warehouse {database}: {error}") from error
    try:
        connection.execute("set enable_progress_bar = false")
        yield connection
    finally:
        connection.close()


def relation_exists(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether a table or view `schema.name` exists in the connected database."""
    row = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
