"""A folder of raw files checked against the raw contract, and how DuckDB reads each file.

Nothing here writes to the warehouse. A CSV's header is read with Python's csv module (so a
header problem is named exactly), then DuckDB reads the body with that header as its schema:
no dialect sniffing (whose failures say only "Error when sniffing file"), every column as
text, and every row it cannot read stored as a reject with its line, column and DuckDB's own
explanation, which `reject_messages` turns into one sentence per bad line.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from handoff.contract import RawTable, raw_tables
from handoff.warehouse import HandoffError, quote_identifier, quote_literal

FORMATS = {".csv": "csv", ".parquet": "parquet"}
LOADED_AT = "_loaded_at"
UTF8_BOM = b"\xef\xbb\xbf"
HEADER_MAX_BYTES = 1_000_000
REJECTS_KEPT = 100  # rejects DuckDB stores per file: enough to report, bounded for a bad file
REJECTS_SHOWN = 5
# What a reject's error_type means, in the words a person fixing the file needs.
REJECT_MEANINGS = {
    "INVALID ENCODING": "not UTF-8 (save the file as UTF-8)",
    "TOO MANY COLUMNS": "wrong number of fields",
    "MISSING COLUMNS": "wrong number of fields",
    "UNQUOTED VALUE": "bad quoting",
    "LINE SIZE OVER MAXIMUM": "line too long",
}


class LoadError(HandoffError):
    """The folder does not fit the raw contract, or the warehouse could not take it."""


@dataclass(frozen=True)
class RawFile:
    path: Path
    table: RawTable
    file_format: str
    columns: tuple[str, ...]

    def reader(self, rejects: str | None = None) -> str:
        """A DuckDB table function that reads the file; a CSV keeps its bad rows in `rejects`.

        Every column must be selected for DuckDB to check it (with fewer it does not decode the
        others), which the loader's `select_list` does.
        """
        path = quote_literal(str(self.path))
        if self.file_format == "parquet":
            return f"read_parquet({path})"
        columns = ", ".join(f"{quote_literal(column)}: 'VARCHAR'" for column in self.columns)
        stored = (
            f", store_rejects = true, rejects_table = {quote_literal(rejects + '_errors')}, "
            f"rejects_scan = {quote_literal(rejects + '_scans')}, rejects_limit = {REJECTS_KEPT}"
            if rejects
            else ""
        )
        return (
            f"read_csv({path}, header = true, auto_detect = false, columns = {{{columns}}}, "
            f"delim = ',', quote = '\"', escape = '\"'{stored})"
        )

    def select_list(self, loaded_at_parameter: str = "$loaded_at") -> str:
        """Every contract column (missing optional ones as null text) plus `_loaded_at`."""
        present = set(self.columns)
        expressions = [
            quote_identifier(column)
            if column in present
            else f"cast(null as varchar) as {quote_identifier(column)}"
            for column in self.table.columns
        ]
        expressions.append(f"cast({loaded_at_parameter} as timestamp) as {LOADED_AT}")
        return ", ".join(expressions)


def inspect_directory(source_dir: Path) -> list[RawFile]:
    """Validate every data file of the folder against the contract; all problems in one error."""
    if not source_dir.is_dir():
        raise LoadError(f"{source_dir} is not a folder")
    contract = raw_tables()
    candidates = sorted(
        path
        for path in source_dir.iterdir()
        if path.is_file() and path.suffix.lower() in FORMATS and not path.name.startswith(".")
    )
    if not candidates:
        raise LoadError(
            f"{source_dir} holds no .csv or .parquet file; expected one per contract table: "
            + ", ".join(contract)
        )
    problems: list[str] = []
    files: list[RawFile] = []
    seen: dict[str, Path] = {}
    for path in candidates:
        table = contract.get(path.stem)
        if table is None:
            problems.append(
                f"{path.name}: '{path.stem}' is not a contract table "
                f"(valid names: {', '.join(contract)})"
            )
            continue
        if path.stem in seen:
            problems.append(
                f"{path.name}: table '{path.stem}' also comes from {seen[path.stem].name}; "
                "keep one file per table"
            )
            continue
        seen[path.stem] = path
        if path.stat().st_size == 0:
            problems.append(f"{path.name}: the file is empty (a CSV needs at least a header)")
            continue
        file_format = FORMATS[path.suffix.lower()]
        try:
            columns = _csv_header(path) if file_format == "csv" else _parquet_columns(path)
        except LoadError as error:
            problems.append(str(error))
            continue
        problems.extend(_column_problems(path, table, columns))
        files.append(RawFile(path=path, table=table, file_format=file_format, columns=columns))
    if problems:
        raise LoadError(
            f"{len(problems)} problem(s) in {source_dir}; nothing was loaded:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
    return files


def _csv_header(path: Path) -> tuple[str, ...]:
    """The column names on the first line (a UTF-8 byte-order mark is allowed)."""
    with path.open("rb") as handle:
        line = handle.readline(HEADER_MAX_BYTES)
    if len(line) >= HEADER_MAX_BYTES:
        raise LoadError(
            f"{path.name}: line 1 (the header) is longer than {HEADER_MAX_BYTES:,} bytes"
        )
    try:
        text = line.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(
            f"{path.name}: line 1 (the header): not UTF-8 (save the file as UTF-8): {error}"
        ) from error
    try:
        header = next(csv.reader([text.rstrip("\r\n")], strict=True), [])
    except csv.Error as error:
        raise LoadError(f"{path.name}: line 1 (the header): bad quoting: {error}") from error
    columns = tuple(column.strip() for column in header)
    if not any(columns):
        raise LoadError(f"{path.name}: line 1 should name the columns but is empty")
    return columns


def _parquet_columns(path: Path) -> tuple[str, ...]:
    scratch = duckdb.connect()
    try:
        described = scratch.execute(
            f"describe select * from read_parquet({quote_literal(str(path))})"
        )
        return tuple(row[0] for row in described.fetchall())
    except duckdb.Error as error:
        raise LoadError(f"{path.name}: cannot be read as parquet: {first_line(error)}") from error
    finally:
        scratch.close()


def _column_problems(path: Path, table: RawTable, columns: tuple[str, ...]) -> list[str]:
    problems = []
    if len(columns) == 1 and any(separator in columns[0] for separator in ";\t|"):
        problems.append(
            f"{path.name}: the header is one column '{columns[0]}': the loader reads "
            "comma-separated files; is this file separated by ';', tab or '|'?"
        )
        return problems
    lowered = {column.lower(): column for column in table.columns}
    for column in columns:
        if column not in table.columns:
            close = difflib.get_close_matches(column.lower(), list(lowered), n=1, cutoff=0.6)
            hint = f"; did you mean '{lowered[close[0]]}'?" if close else ""
            problems.append(
                f"{path.name}: column '{column}' is not in the contract of {table.name}{hint}"
            )
    for column in table.required:
        if column not in columns:
            problems.append(f"{path.name}: required column '{column}' is missing")
    if len(set(columns)) != len(columns):
        problems.append(f"{path.name}: a column name appears twice")
    return problems


def reject_messages(
    connection: duckdb.DuckDBPyConnection, raw_file: RawFile, rejects: str
) -> list[str]:
    """One message per line DuckDB could not read (the first few), empty if none."""
    rows = connection.execute(
        f"select line_byte_position, line, column_name, error_type, error_message "
        f"from {rejects}_errors order by line limit {REJECTS_SHOWN}"
    ).fetchall()
    if not rows:
        return []
    total = connection.execute(f"select count(*) from {rejects}_errors").fetchone()[0]
    lines = _physical_lines(raw_file.path, [row[0] for row in rows])
    messages = []
    for (_, record_line, column, error_type, explanation), line in zip(rows, lines, strict=True):
        where = f"line {line or record_line}" + (f", column '{column}'" if column else "")
        meaning = REJECT_MEANINGS.get(error_type, error_type.lower())
        messages.append(f"{raw_file.path.name}: {where}: {meaning}: {explanation.strip()}")
    if total > len(rows):
        more = f"{total - len(rows)}" + ("+" if total >= REJECTS_KEPT else "")
        messages.append(f"{raw_file.path.name}: ... and {more} more line(s) that cannot be read")
    return messages


def _physical_lines(path: Path, byte_positions: list[int | None]) -> list[int | None]:
    """The line an editor shows for each byte offset (a quoted field may span several lines)."""
    wanted = sorted({position for position in byte_positions if position is not None})
    found: dict[int, int] = {}
    newlines = 0
    offset = 0
    with path.open("rb") as handle:
        for position in wanted:
            while offset < position:
                chunk = handle.read(min(1 << 20, position - offset))
                if not chunk:
                    break
                newlines += chunk.count(b"\n")
                offset += len(chunk)
            found[position] = newlines + 1
    return [found.get(position) if position is not None else None for position in byte_positions]


def file_checksum(path: Path) -> str:
    """sha256 of the file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
