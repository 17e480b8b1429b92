"""Numpy columns -> DuckDB -> one `<table>.parquet` / `<table>.csv` per raw table.

A generator module returns a `Table`: numpy staging columns plus the SQL select list that
turns them into the contract's columns (ids formatted, timestamps rendered as text). The
numpy arrays are handed to DuckDB through Arrow without copying strings in Python: code
columns become dictionary arrays, ids and timestamps are integers formatted by DuckDB.

Staging conventions (see `arrays.NULL`):
- integer columns: -1 is null; timestamp columns hold epoch seconds (UTC) and also -2 / -3
  for the two garbage strings of `vocab.GARBAGE_TIMESTAMPS`;
- code columns (listed in `Table.vocab`): index into the vocabulary, -1 is null;
- id columns (listed in `Table.ids` with a printf pattern such as 'L%08d'): integer ids that
  repeat (foreign keys), sent as a dictionary of formatted ids, -1 is null;
- flag columns (listed in `Table.flags`): int8 0 / 1, -1 is null -> boolean;
- float columns: NaN is null; text columns (small tables only): object arrays, None is null.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from handoff.contract import raw_tables
from handoff_datagen.arrays import NULL
from handoff_datagen.vocab import GARBAGE_TIMESTAMPS

FORMATS = ("parquet", "csv")
ROW_GROUP_ROWS = 122_880  # DuckDB's default parquet row group size
CAST_TYPES = {"integer": "integer", "bigint": "bigint", "double": "double", "boolean": "boolean"}
# How the generator formats its integer ids (foreign keys use these as dictionaries).
ID_PATTERNS = {
    "lead_num": "L%08d",
    "rep_num": "R%03d",
    "account_num": "ACC%06d",
    "campaign_num": "CMP-%03d",
    "content_num": "CNT-%03d",
}


@dataclass
class Table:
    name: str
    # columns; or pieces in order (a list, or an iterator that is generated while written)
    data: dict[str, np.ndarray] | list[dict[str, np.ndarray]] | Iterator[dict[str, np.ndarray]]
    select: list[str]  # "<sql expression> as <contract column>", in contract order
    vocab: dict[str, Sequence[str]] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    ids: dict[str, str] = field(default_factory=dict)  # column -> printf pattern
    id_limits: dict[str, int] = field(default_factory=dict)  # largest id, for streamed data

    @property
    def pieces(self) -> Iterable[dict[str, np.ndarray]]:
        return [self.data] if isinstance(self.data, dict) else self.data


# --- SQL snippets used in select lists ----------------------------------------------------


def ts(column: str) -> str:
    """Epoch seconds rendered as 'YYYY-MM-DD HH:MM:SS' text (garbage codes as garbage)."""
    return f"ts_text({column})"


_MACROS = (
    "create or replace macro ts_text(x) as case "
    f"when x = -2 then '{GARBAGE_TIMESTAMPS[0]}' "
    f"when x = -3 then '{GARBAGE_TIMESTAMPS[1]}' "
    # a whole-second timestamp casts to exactly 'YYYY-MM-DD HH:MM:SS' (faster than strftime)
    "when x >= 0 then cast(make_timestamp(x * 1000000) as varchar) end"
)


# --- numpy -> arrow --------------------------------------------------------------------------


def _arrow(name: str, values: np.ndarray, table: Table, dictionary: pa.Array | None) -> pa.Array:
    if dictionary is not None:
        indices = values.astype(np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(indices, mask=indices == NULL), dictionary)
    if name in table.flags:
        return pa.array(values == 1, mask=values == NULL)
    if values.dtype.kind == "O":
        return pa.array(values.tolist(), type=pa.string())
    if values.dtype.kind == "f":
        return pa.array(values, mask=np.isnan(values))
    if values.dtype.kind in "iu":
        # timestamps keep their garbage codes (-2, -3); only -1 is null
        return pa.array(values, mask=values == NULL)
    if values.dtype.kind == "b":
        return pa.array(values)
    raise TypeError(f"{table.name}.{name}: unsupported dtype {values.dtype}")


def _prefetched(pieces: Iterator[dict[str, np.ndarray]], depth: int = 2):
    """Build the next pieces in a thread while DuckDB formats and writes the current one.

    numpy releases the GIL in its array operations, so generation and writing overlap on two
    cores. The pieces come out in their order: the files do not depend on the scheduling.
    """
    done = object()
    ready: queue.Queue = queue.Queue(maxsize=depth)

    def produce() -> None:
        try:
            for piece in pieces:
                ready.put(piece)
            ready.put(done)
        except BaseException as error:  # handed to the consumer, raised there
            ready.put(error)

    worker = threading.Thread(target=produce, name="generate-pieces", daemon=True)
    worker.start()
    while True:
        item = ready.get()
        if item is done:
            break
        if isinstance(item, BaseException):
            raise item
        yield item
    worker.join()


def _typed_select(table: Table) -> list[str]:
    """The select list checked against the contract, numbers and booleans cast to its types.

    `*_at` / `*_date` columns stay text on purpose (see the module doc); every other column
    is written with the type the source declaration gives it, so each column has one type.
    """
    contract = raw_tables()[table.name]
    aliases = tuple(expr.rsplit(" as ", 1)[1].strip() for expr in table.select)
    if aliases != contract.columns:
        raise AssertionError(f"{table.name}: columns {aliases} != contract {contract.columns}")
    typed = []
    for expr, column in zip(table.select, aliases, strict=True):
        data_type = contract.data_types[column].lower()
        if data_type in CAST_TYPES:
            body = expr.rsplit(" as ", 1)[0]
            expr = f"cast({body} as {CAST_TYPES[data_type]}) as {column}"
        typed.append(expr)
    return typed


class Writer:
    """Writes tables into `out_dir` through one in-memory DuckDB connection."""

    def __init__(self, out_dir: Path, file_format: str):
        if file_format not in FORMATS:
            raise ValueError(
                f"file format must be one of {', '.join(FORMATS)}, not {file_format!r}"
            )
        self.out_dir = Path(out_dir)
        self.file_format = file_format
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.connection = duckdb.connect(":memory:")
        self.connection.execute("set enable_progress_bar = false")
        self.connection.execute(_MACROS)
        self._ids: dict[str, pa.Array] = {}

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _id_dictionary(self, pattern: str, largest: int) -> pa.Array:
        """Formatted ids 0 .. largest (index = id number), built once per pattern by DuckDB."""
        size = largest + 1
        known = self._ids.get(pattern)
        if known is None or len(known) < size:
            result = self.connection.sql(
                f"select printf('{pattern}', range) as id from range({size})"
            ).to_arrow_table()
            self._ids[pattern] = known = result.column("id").combine_chunks()
        return known

    def _id_dictionaries(self, table: Table) -> dict[str, pa.Array]:
        out = {}
        for name, pattern in table.ids.items():
            if name in table.id_limits:
                largest = table.id_limits[name]
            elif isinstance(table.data, Iterator):
                continue  # not in this table (a streamed table declares its limits)
            else:
                values = [piece[name] for piece in table.pieces if name in piece]
                if not values:
                    continue
                largest = max(int(v.max(initial=0)) for v in values)
            out[name] = self._id_dictionary(pattern, largest)
        return out

    def batches(self, table: Table) -> Iterator[pa.RecordBatch]:
        """The table as Arrow batches of exactly `ROW_GROUP_ROWS` rows (the last one shorter).

        DuckDB writes a parquet row group per input batch of that size whatever its threads
        do; batches of other sizes are merged into row groups in scheduling order, which
        would make the files differ from run to run.
        """
        dictionaries = {name: pa.array(list(words)) for name, words in table.vocab.items()}
        dictionaries.update(self._id_dictionaries(table))
        pending: list[pa.RecordBatch] = []
        held = 0
        empty: pa.RecordBatch | None = None  # a table without rows still needs its schema
        yielded = False
        pieces = table.pieces
        if isinstance(pieces, Iterator):
            pieces = _prefetched(pieces)
        for piece in pieces:
            batch = pa.RecordBatch.from_pydict(
                {
                    name: _arrow(name, values, table, dictionaries.get(name))
                    for name, values in piece.items()
                }
            )
            if empty is None:
                empty = batch.slice(0, 0)
            while batch.num_rows:
                take = min(ROW_GROUP_ROWS - held, batch.num_rows)
                pending.append(batch.slice(0, take))
                held += take
                batch = batch.slice(take)
                if held == ROW_GROUP_ROWS:
                    yield pa.concat_batches(pending)
                    pending, held, yielded = [], 0, True
        if pending:
            yield pa.concat_batches(pending)
        elif not yielded and empty is not None:
            yield empty

    def write(self, table: Table) -> int:
        """Write one table; returns its row count."""
        select = _typed_select(table)
        rows = 0

        def counted() -> Iterator[pa.RecordBatch]:
            nonlocal rows
            for batch in self.batches(table):
                rows += batch.num_rows
                yield batch

        batches = counted()
        first = next(batches)
        arrow: pa.Table | pa.RecordBatchReader
        if isinstance(table.data, Iterator):  # generated while DuckDB writes it
            arrow = pa.RecordBatchReader.from_batches(first.schema, chain([first], batches))
        else:  # in memory: DuckDB may scan it with all its threads
            arrow = pa.Table.from_batches([first, *batches])
        target = self.out_dir / f"{table.name}.{self.file_format}"
        partial = target.with_name(target.name + ".partial")
        query = f"select {', '.join(select)} from arrow_stage"
        options = (
            f"format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS}"
            if self.file_format == "parquet"
            else "format csv, header true"
        )
        self.connection.register("arrow_stage", arrow)
        try:
            path = str(partial).replace("'", "''")
            self.connection.execute(f"copy ({query}) to '{path}' ({options})")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            self.connection.unregister("arrow_stage")
        os.replace(partial, target)
        # one file per table: a file of the other format would be loaded as well
        for other in FORMATS:
            if other != self.file_format:
                (self.out_dir / f"{table.name}.{other}").unlink(missing_ok=True)
        return rows
