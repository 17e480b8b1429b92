"""Load a folder of `<table>.csv|.parquet` files into schema `raw` of the embedded warehouse.

Every file is validated against the raw contract (`handoff.raw_files`) before anything is
written, and the whole load is one transaction: a bad folder leaves the warehouse untouched.
DuckDB reads the files itself (no dataframe round trip). CSV columns stay text (staging casts,
so nothing can fail here on a value); parquet keeps its types. Every table gets `_loaded_at`
(UTC), and every file a row in the ledger `ops.loads` (`handoff.load_ledger`).

Guards against a broken extract (docs/contract.md, section 1):
- a file DuckDB cannot read (encoding, quoting, field count) is refused with DuckDB's own
  explanation, the file, the line and the column;
- replacing a non-empty table with an empty file, or with fewer than half its rows, is
  refused, naming the table and both counts, unless `force`;
- with `append`, a file whose rows are already in its table (same table and checksum, see
  `load_ledger.rows_in_table`) is skipped and reported, so a folder appended twice counts once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from handoff import load_ledger
from handoff.contract import RawTable, raw_tables
from handoff.load_ledger import LedgerRow
from handoff.raw_files import (
    FORMATS,
    LOADED_AT,
    LoadError,
    RawFile,
    file_checksum,
    first_line,
    inspect_directory,
    reject_messages,
)
from handoff.settings import RAW_SCHEMA
from handoff.warehouse import connect, quote_identifier

__all__ = ["FORMATS", "LOADED_AT", "LoadError", "LoadResult", "VolumeGuardError", "load"]

# A replace may not leave a non-empty table with less than this share of its rows.
MIN_REPLACE_SHARE = 0.5


class VolumeGuardError(LoadError):
    """A replace would shrink a raw table to less than half: refused, nothing loaded."""


@dataclass(frozen=True)
class SkippedFile:
    table: str
    file_name: str
    reason: str


@dataclass
class LoadResult:
    rows: dict[str, int] = field(default_factory=dict)  # rows written per table
    skipped: list[SkippedFile] = field(default_factory=list)
    created_empty: list[str] = field(default_factory=list)
    forced: list[str] = field(default_factory=list)  # tables a forced replace shrank
    loaded_at: datetime | None = None
    load_id: str = ""


def load_directory(source_dir: Path, database: Path, append: bool = False) -> dict[str, int]:
    """Load every contract file in `source_dir` into `database`; rows loaded per table."""
    return load(source_dir, database, append=append).rows


def load(
    source_dir: Path,
    database: Path,
    *,
    append: bool = False,
    force: bool = False,
    source_label: str | None = None,
) -> LoadResult:
    """Load the folder in one transaction and record every file in `ops.loads`.

    `append` inserts instead of replacing and skips files already loaded; `force` lets a
    replace shrink a table; `source_label` is stored in the ledger (e.g. the inbox folder).
    Raises LoadError (VolumeGuardError for a refused shrink) and loads nothing on any problem.
    """
    source_dir = Path(source_dir)
    files = inspect_directory(source_dir)
    result = LoadResult(loaded_at=datetime.now(UTC).replace(tzinfo=None), load_id=str(uuid.uuid4()))
    database = Path(database)
    created = not database.exists()
    try:
        with connect(database) as connection:
            connection.begin()
            try:
                _Load(connection, result, append, force, source_dir, source_label).run(files)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
    except BaseException:
        if created:  # a failed first load leaves no empty warehouse file behind
            for path in (database, database.with_name(database.name + ".wal")):
                path.unlink(missing_ok=True)
        raise
    return result


@dataclass
class _Load:
    """One load inside its transaction: every file, the guards, the empty tables, the ledger."""

    connection: duckdb.DuckDBPyConnection
    result: LoadResult
    append: bool
    force: bool
    source_dir: Path
    source_label: str | None
    ledger: list[LedgerRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    def run(self, files: list[RawFile]) -> None:
        self.connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        load_ledger.ensure_ledger(self.connection)
        existing = _raw_tables_in(self.connection)
        for index, raw_file in enumerate(files):
            self._load_file(raw_file, existing, f"handoff_rejects_{index}")
            existing.add(raw_file.table.name)
        if self.problems:
            raise self._read_error()
        if self.refusals:
            raise VolumeGuardError(
                "refused to replace raw table(s) with much smaller files; nothing was loaded:\n"
                + "\n".join(f"  - {refusal}" for refusal in self.refusals)
                + "\nIf the extract is right (rows were really deleted), load it again with "
                "--force (Python: force=True)."
            )
        for table in raw_tables().values():
            if table.name not in existing:
                _create_empty(self.connection, table)
                self.result.created_empty.append(table.name)
        load_ledger.record(self.connection, self.ledger)

    def _load_file(self, raw_file: RawFile, existing: set[str], rejects: str) -> None:
        name = raw_file.table.name
        checksum = file_checksum(raw_file.path)
        previous = _row_count(self.connection, name) if name in existing else None
        if self.append and name in existing:
            earlier = load_ledger.rows_in_table(self.connection, name, checksum)
            if earlier is not None:
                reason = (
                    f"already loaded: same checksum as {earlier[0]} loaded at "
                    f"{earlier[1]:%Y-%m-%d %H:%M:%S} UTC, whose rows are in the table"
                )
                self.result.skipped.append(SkippedFile(name, raw_file.path.name, reason))
                self._note(raw_file, checksum, 0, previous, "skipped", reason)
                return
            _add_missing_columns(self.connection, raw_file.table)
            statement = f"insert into {RAW_SCHEMA}.{name} by name"
        else:
            statement = f"create or replace table {RAW_SCHEMA}.{name} as"
        written = self._write(raw_file, statement, rejects)
        if written is None:
            return
        mode = "append" if self.append else "replace"
        note = None
        if not self.append and previous and written < previous * MIN_REPLACE_SHARE:
            share = "an empty file" if written == 0 else "fewer than half its rows"
            if not self.force:
                self.refusals.append(
                    f"raw.{name}: {raw_file.path.name} has {_rows(written)}, the table has "
                    f"{previous} ({share})"
                )
                return
            note = f"forced: replaced {_rows(previous)} with {written} ({share})"
            self.result.forced.append(name)
        self.result.rows[name] = written
        self._note(raw_file, checksum, written, previous, mode, note, forced=note is not None)

    def _write(self, raw_file: RawFile, statement: str, rejects: str) -> int | None:
        """Rows written, or None when the file could not be read (problems recorded)."""
        reader = raw_file.reader(rejects if raw_file.file_format == "csv" else None)
        try:
            # create-as-select and insert both answer with the number of rows written
            written = self.connection.execute(
                f"{statement} select {raw_file.select_list()} from {reader}",
                {"loaded_at": self.result.loaded_at},
            ).fetchone()
        except duckdb.Error as error:  # the transaction is aborted: stop here
            self.problems.append(f"{raw_file.path.name}: {first_line(error)}")
            raise self._read_error() from error
        if raw_file.file_format == "csv":
            messages = reject_messages(self.connection, raw_file, rejects)
            self.connection.execute(f"drop table {rejects}_errors; drop table {rejects}_scans")
            if messages:
                self.problems.extend(messages)
                return None
        return int(written[0]) if written else 0

    def _read_error(self) -> LoadError:
        return LoadError(
            f"a file in {self.source_dir} cannot be read; nothing was loaded:\n"
            + "\n".join(f"  - {problem}" for problem in self.problems)
        )

    def _note(
        self,
        raw_file: RawFile,
        checksum: str,
        rows: int,
        previous: int | None,
        mode: str,
        note: str | None,
        forced: bool = False,
    ) -> None:
        assert self.result.loaded_at is not None
        self.ledger.append(
            LedgerRow(
                load_id=self.result.load_id,
                loaded_at=self.result.loaded_at,
                table_name=raw_file.table.name,
                file_name=raw_file.path.name,
                source_dir=str(self.source_dir.resolve()),
                source_label=self.source_label,
                checksum=checksum,
                file_bytes=raw_file.path.stat().st_size,
                row_count=rows,
                previous_row_count=previous,
                mode=mode,
                is_forced=forced,
                note=note,
            )
        )


def _rows(count: int) -> str:
    """'1 row', '5000 rows': plain digits, so a script can find the count in the message."""
    return f"{count} row" + ("" if count == 1 else "s")


def _raw_tables_in(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall()
    return {row[0] for row in rows}


def _row_count(connection: duckdb.DuckDBPyConnection, name: str) -> int:
    return int(connection.execute(f"select count(*) from {RAW_SCHEMA}.{name}").fetchone()[0])


def _add_missing_columns(connection: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    """An appended-to table created by an older contract gets the columns it lacks."""
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [RAW_SCHEMA, table.name],
    ).fetchall()
    have = {row[0] for row in rows}
    for column in (*table.columns, LOADED_AT):
        if column not in have:
            data_type = "timestamp" if column == LOADED_AT else "varchar"
            connection.execute(
                f"alter table {RAW_SCHEMA}.{table.name} "
                f"add column {quote_identifier(column)} {data_type}"
            )


def _create_empty(connection: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    columns = ", ".join(f"{quote_identifier(column)} varchar" for column in table.columns)
    connection.execute(f"create table {RAW_SCHEMA}.{table.name} ({columns}, {LOADED_AT} timestamp)")
