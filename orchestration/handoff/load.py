"""Load a folder of `<table>.csv|.parquet` files into schema `raw` of the embedded warehouse.

Every file is validated against the raw contract (`handoff.contract`) before anything is written,
and the whole load runs in one transaction: a bad folder leaves the warehouse untouched. DuckDB
reads the files itself (no dataframe round trip). CSV columns stay text (staging casts, so nothing
can fail here on a value); parquet keeps its types. Every table gets `_loaded_at` (UTC).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from handoff.contract import RawTable, raw_tables
from handoff.settings import RAW_SCHEMA
from handoff.warehouse import HandoffError, connect, quote_identifier, quote_literal

FORMATS = {".csv": "csv", ".parquet": "parquet"}
LOADED_AT = "_loaded_at"


class LoadError(HandoffError):
    """The folder does not fit the raw contract, or the warehouse could not take it."""


@dataclass(frozen=True)
class RawFile:
    path: Path
    table: RawTable
    file_format: str
    columns: tuple[str, ...]

    def reader(self) -> str:
        """A DuckDB table function that reads the file."""
        path = quote_literal(str(self.path))
        if self.file_format == "csv":
            return (
                f"read_csv({path}, header = true, all_varchar = true, "
                "delim = ',', quote = '\"', escape = '\"')"
            )
        return f"read_parquet({path})"

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


@dataclass
class LoadResult:
    rows: dict[str, int] = field(default_factory=dict)
    created_empty: list[str] = field(default_factory=list)
    loaded_at: datetime | None = None


def load_directory(source_dir: Path, database: Path, append: bool = False) -> dict[str, int]:
    """Load every contract file in `source_dir` into `database`; rows loaded per table."""
    return load(source_dir, database, append=append).rows


def load(source_dir: Path, database: Path, *, append: bool = False) -> LoadResult:
    """`load_directory`, also telling which contract tables were created empty and when."""
    files = inspect_directory(Path(source_dir))
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    result = LoadResult(loaded_at=loaded_at)
    database = Path(database)
    created = not database.exists()
    try:
        _write(files, database, append, loaded_at, result)
    except BaseException:
        if created:  # a failed first load leaves no empty warehouse file behind
            for path in (database, database.with_name(database.name + ".wal")):
                path.unlink(missing_ok=True)
        raise
    return result


def _write(
    files: list[RawFile], database: Path, append: bool, loaded_at: datetime, result: LoadResult
) -> None:
    """Every file and the missing empty tables, in one transaction."""
    with connect(database) as connection:
        connection.begin()
        try:
            connection.execute(f"create schema if not exists {RAW_SCHEMA}")
            existing = _raw_tables_in(connection)
            for raw_file in files:
                name = raw_file.table.name
                if append and name in existing:
                    _add_missing_columns(connection, raw_file.table)
                    statement = (
                        f"insert into {RAW_SCHEMA}.{name} by name "
                        f"select {raw_file.select_list()} from {raw_file.reader()}"
                    )
                else:
                    statement = (
                        f"create or replace table {RAW_SCHEMA}.{name} as "
                        f"select {raw_file.select_list()} from {raw_file.reader()}"
                    )
                try:
                    # create-as-select and insert both answer with the number of rows written
                    written = connection.execute(statement, {"loaded_at": loaded_at}).fetchone()
                except duckdb.Error as error:
                    raise LoadError(f"{raw_file.path.name}: {_first_line(error)}") from error
                result.rows[name] = int(written[0]) if written else 0
                existing.add(name)
            for table in raw_tables().values():
                if table.name not in existing:
                    _create_empty(connection, table)
                    result.created_empty.append(table.name)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise


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
    scratch = duckdb.connect()
    try:
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
            file_format = FORMATS[path.suffix.lower()]
            if path.stat().st_size == 0:
                problems.append(f"{path.name}: the file is empty (a CSV needs at least a header)")
                continue
            raw_file = RawFile(path=path, table=table, file_format=file_format, columns=())
            try:
                described = scratch.execute(f"describe select * from {raw_file.reader()}")
                columns = tuple(row[0] for row in described.fetchall())
            except duckdb.Error as error:
                problems.append(f"{path.name}: cannot be read: {_first_line(error)}")
                continue
            problems.extend(_column_problems(path, table, columns))
            files.append(RawFile(path=path, table=table, file_format=file_format, columns=columns))
    finally:
        scratch.close()
    if problems:
        raise LoadError(
            f"{len(problems)} problem(s) in {source_dir}; nothing was loaded:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
    return files


def _column_problems(path: Path, table: RawTable, columns: tuple[str, ...]) -> list[str]:
    problems = []
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


def _raw_tables_in(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall()
    return {row[0] for row in rows}


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


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
