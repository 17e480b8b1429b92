"""Raw data in, marts out, on the server engines: PostgreSQL and Spark.

`handoff load` writes the embedded DuckDB file only; on the other engines a connector fills
schema `raw`. This is the connector CI and the cross-engine comparison use, and a starting point
for yours:

    python scripts/engines/warehouse_io.py load  --engine postgres|spark DIR
    python scripts/engines/warehouse_io.py dump  --engine duckdb|postgres|spark OUT.json MODEL...

`load` creates every contract table (docs/contract.md section 1, read from the dbt source
declarations) in schema raw with every column as text plus `_loaded_at`, as `handoff load`
does with a CSV, and fills it from DIR/<table>.csv (a missing file = an empty table).
`dump` writes the rows of schema marts' MODELs as JSON: {model: {"columns": [...], "rows":
[[...], ...]}}, values normalised so the engines compare (instants as ISO text to the
microsecond, numbers as JSON numbers).

Connections: PostgreSQL from HANDOFF_PG_* (as profiles.yml), Spark as a local session with
`handoff.settings.spark_session_environment` (run this script in that environment), DuckDB from
HANDOFF_DUCKDB_PATH.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from handoff.contract import RawTable, raw_tables
from handoff.settings import RAW_SCHEMA

LOADED_AT = "_loaded_at"
MARTS_SCHEMA = "marts"


def csv_header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle), [])


# ---------- PostgreSQL ----------


def postgres_connection():
    """A psycopg2 connection from the HANDOFF_PG_* variables (profiles.yml's defaults)."""
    import psycopg2

    return psycopg2.connect(
        host=os.environ.get("HANDOFF_PG_HOST", "localhost"),
        port=int(os.environ.get("HANDOFF_PG_PORT", "5432")),
        user=os.environ.get("HANDOFF_PG_USER", "handoff"),
        password=os.environ.get("HANDOFF_PG_PASSWORD", ""),
        dbname=os.environ.get("HANDOFF_PG_DATABASE", "handoff"),
    )


def postgres_load(source_dir: Path) -> dict[str, int]:
    """Recreate schema raw from the CSVs in one transaction (COPY); rows per table."""
    rows: dict[str, int] = {}
    connection = postgres_connection()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"drop schema if exists {RAW_SCHEMA} cascade")
            cursor.execute(f"create schema {RAW_SCHEMA}")
            for table in raw_tables().values():
                columns = ", ".join(f'"{column}" text' for column in table.columns)
                cursor.execute(
                    f"create table {RAW_SCHEMA}.{table.name} ({columns}, {LOADED_AT} timestamp "
                    "not null default (now() at time zone 'UTC'))"
                )
                path = source_dir / f"{table.name}.csv"
                if not path.exists():
                    rows[table.name] = 0
                    continue
                header = ", ".join(f'"{column}"' for column in _checked_header(path, table))
                with path.open(newline="") as handle:
                    cursor.copy_expert(
                        f"copy {RAW_SCHEMA}.{table.name} ({header}) "
                        "from stdin with (format csv, header true)",
                        handle,
                    )
                rows[table.name] = cursor.rowcount
    finally:
        connection.close()
    return rows


def postgres_rows(model: str) -> tuple[list[str], list[tuple]]:
    connection = postgres_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"select * from {MARTS_SCHEMA}.{model}")
            return [column.name for column in cursor.description], cursor.fetchall()
    finally:
        connection.close()


# ---------- Spark (a local session: run in handoff.settings.spark_session_environment) ----------


def spark_session():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.appName("handoff-warehouse-io")
        .config("spark.sql.session.timeZone", "UTC")
        .enableHiveSupport()
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_load(source_dir: Path) -> dict[str, int]:
    """Recreate schema raw as parquet tables from the CSVs (every column a string)."""
    from pyspark.sql import functions

    session = spark_session()
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.sql(f"drop schema if exists {RAW_SCHEMA} cascade")
    session.sql(f"create schema {RAW_SCHEMA}")
    rows: dict[str, int] = {}
    for table in raw_tables().values():
        path = source_dir / f"{table.name}.csv"
        present = set(_checked_header(path, table)) if path.exists() else set()
        if path.exists():
            # As DuckDB reads a CSV: quoted fields may span lines, "" escapes a quote.
            frame = (
                session.read.option("header", True)
                .option("multiLine", True)
                .option("escape", '"')
                .option("inferSchema", False)
                .csv(str(path))
            )
        else:
            frame = session.range(0)
        frame = frame.select(
            *[
                functions.col(f"`{column}`") if column in present else functions.lit(None)
                for column in table.columns
            ]
        ).toDF(*table.columns)
        frame = frame.select(
            *[functions.col(column).cast("string") for column in table.columns],
            functions.lit(loaded_at).cast("timestamp").alias(LOADED_AT),
        )
        frame.write.format("parquet").mode("overwrite").saveAsTable(f"{RAW_SCHEMA}.{table.name}")
        rows[table.name] = session.table(f"{RAW_SCHEMA}.{table.name}").count()
    return rows


def spark_rows(model: str) -> tuple[list[str], list[tuple]]:
    frame = spark_session().table(f"{MARTS_SCHEMA}.{model}")
    return frame.columns, [tuple(row) for row in frame.collect()]


# ---------- DuckDB ----------


def duckdb_rows(model: str) -> tuple[list[str], list[tuple]]:
    from handoff.settings import duckdb_path
    from handoff.warehouse import connect

    with connect(duckdb_path(), read_only=True) as connection:
        result = connection.execute(f"select * from {MARTS_SCHEMA}.{model}")
        return [column[0] for column in result.description], result.fetchall()


# ---------- shared ----------


def _checked_header(path: Path, table: RawTable) -> list[str]:
    header = csv_header(path)
    unknown = [column for column in header if column not in table.columns]
    if unknown:
        raise SystemExit(f"{path}: columns not in the raw contract of {table.name}: {unknown}")
    return header


def normalise(value: object) -> object:
    """A value as JSON the engines agree on: instants to the microsecond, numbers as numbers."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def dump(engine: str, models: Sequence[str], out: Path) -> None:
    reader = {"duckdb": duckdb_rows, "postgres": postgres_rows, "spark": spark_rows}[engine]
    marts = {}
    for model in models:
        columns, rows = reader(model)
        marts[model] = {
            "columns": list(columns),
            "rows": [[normalise(value) for value in row] for row in rows],
        }
    out.write_text(json.dumps(marts))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="CSV folder -> schema raw")
    load.add_argument("--engine", choices=("postgres", "spark"), required=True)
    load.add_argument("source_dir", type=Path)
    dump_parser = commands.add_parser("dump", help="marts -> JSON")
    dump_parser.add_argument("--engine", choices=("duckdb", "postgres", "spark"), required=True)
    dump_parser.add_argument("out", type=Path)
    dump_parser.add_argument("models", nargs="+")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "load":
        loader = postgres_load if args.engine == "postgres" else spark_load
        rows = loader(args.source_dir.resolve())
        print(f"loaded {sum(rows.values())} rows into {len(rows)} raw tables on {args.engine}")
    else:
        dump(args.engine, args.models, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
