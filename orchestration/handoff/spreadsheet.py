"""Values a spreadsheet would execute, made inert (the OWASP CSV-injection rule).

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets: `=HYPERLINK("http://x")` in a company name would run in
whoever opens an export. Every file a person may open in a spreadsheet (CSV exports, the
JSON-lines sinks) passes its rows through `inert_row`, which prefixes such text with a single
quote, the prefix spreadsheets show as text. Only text changes: numbers, booleans, timestamps
and nulls are written as they are, so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"
BATCH_ROWS = 10_000


class Cursor(Protocol):
    """What a DuckDB (or DB-API) cursor offers after `execute`."""

    description: Sequence[Sequence[Any]] | None

    def fetchmany(self, size: int = ...) -> list[tuple]: ...


def inert_text(value: Any) -> Any:
    """`value` with a formula-starting text prefixed by a single quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return INERT_PREFIX + value
    return value


def inert_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of the row through `inert_text`."""
    return {column: inert_text(value) for column, value in row.items()}


def write_csv(cursor: Cursor, path: Path) -> int:
    """Stream a query's rows to a CSV file (header first), inert; rows written."""
    columns = _columns(cursor)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        return _each_row(
            cursor, columns, lambda row: writer.writerow([_csv_cell(v) for v in row.values()])
        )


def write_json_lines(cursor: Cursor, path: Path) -> int:
    """Stream a query's rows to a JSON-lines file (one object a line), inert; rows written."""
    columns = _columns(cursor)
    with path.open("w", encoding="utf-8") as handle:
        return _each_row(
            cursor,
            columns,
            lambda row: handle.write(
                json.dumps(row, default=_json_value, ensure_ascii=False, separators=(",", ":"))
                + "\n"
            ),
        )


def _columns(cursor: Cursor) -> list[str]:
    if cursor.description is None:
        raise ValueError("the statement returns no rows to write")
    return [column[0] for column in cursor.description]


def _each_row(cursor: Cursor, columns: list[str], write: Any) -> int:
    """Batches of rows, so memory stays bounded whatever the size of the result."""
    count = 0
    while batch := cursor.fetchmany(BATCH_ROWS):
        for values in batch:
            write(inert_row(dict(zip(columns, values, strict=True))))
        count += len(batch)
    return count


def _csv_cell(value: Any) -> Any:
    """A cell as DuckDB's CSV export writes it: empty for null, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _json_value(value) if isinstance(value, date | time | Decimal) else value


def _json_value(value: Any) -> Any:
    """Types JSON lacks, written the way DuckDB's own JSON export writes them."""
    if isinstance(value, datetime):  # '2026-03-20 12:00:00', '2026-03-20 12:00:00.25'
        whole = value.strftime("%Y-%m-%d %H:%M:%S")
        return f"{whole}.{value.microsecond:06d}".rstrip("0") if value.microsecond else whole
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return list(value)
    return str(value)
