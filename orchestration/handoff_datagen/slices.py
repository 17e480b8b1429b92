"""Split a raw data set into time slices, as if it had arrived in several drops.

    split_by_time(raw_dir, out_dir, cutoffs) -> [slice folders]

Slice i holds the rows whose time column (`SLICE_COLUMNS`) is after cutoff i-1 and at or before
cutoff i (the last slice: everything after the last cutoff). Tables without a time of arrival
(reps, accounts, campaigns, holidays, time off) and rows whose time does not parse all go into
the first slice, so no row is lost and bad rows still reach the warehouse. Loading slice 1, then
appending the others (`handoff load --append`), gives the same raw tables as loading the whole
folder. Used by `scripts/benchmark.py` (the +1 % and 100-lead drops) and by the test that builds
the fixtures incrementally.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from handoff.raw_files import inspect_directory

# The column that says when a row of a growing table came into being (contract section 1).
SLICE_COLUMNS = {
    "leads": "created_at",
    "marketing_events": "occurred_at",
    "sales_activities": "occurred_at",
    "lead_enrichment": "enriched_at",
    "lead_acknowledgements": "acknowledged_at",
    "lead_dispositions": "disposed_at",
    "opportunities": "created_at",
}


def _instant(column: str) -> str:
    """The column as a UTC instant (offsets converted), null when it does not parse."""
    return f"cast(try_cast(cast({column} as varchar) as timestamptz) as timestamp)"


def split_by_time(raw_dir: Path, out_dir: Path, cutoffs: list[datetime]) -> list[Path]:
    """Write len(cutoffs) + 1 folders `<out_dir>/slice_<i>` (parquet); their paths in order."""
    bounds = [None, *cutoffs, None]
    folders = [Path(out_dir) / f"slice_{index}" for index in range(len(cutoffs) + 1)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        for raw_file in inspect_directory(Path(raw_dir)):
            reader = raw_file.reader()
            column = SLICE_COLUMNS.get(raw_file.table.name)
            for index, folder in enumerate(folders):
                where = _slice_filter(column, bounds[index], bounds[index + 1], index == 0)
                target = folder / f"{raw_file.table.name}.parquet"
                connection.execute(f"copy (select * from {reader} where {where}) to '{target}'")
    return folders


def _slice_filter(column: str | None, lower, upper, is_first: bool) -> str:
    if column is None:
        return "true" if is_first else "false"
    instant = _instant(column)
    conditions = []
    if lower is not None:
        conditions.append(f"{instant} > timestamp '{lower:%Y-%m-%d %H:%M:%S.%f}'")
    if upper is not None:
        conditions.append(f"{instant} <= timestamp '{upper:%Y-%m-%d %H:%M:%S.%f}'")
    in_range = " and ".join(conditions) or "true"
    if is_first:
        return f"({in_range} or {instant} is null)"
    return in_range


def lead_created_cutoff(raw_dir: Path, leads_after: int) -> datetime:
    """The instant after which exactly the last `leads_after` leads (by created_at) were created
    (fewer when several share that instant)."""
    leads = next(f for f in inspect_directory(Path(raw_dir)) if f.table.name == "leads")
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        (cutoff,) = connection.execute(
            f"select {_instant('created_at')} as created from {leads.reader()} "
            "where created is not null order by created desc limit 1 offset ?",
            [leads_after],
        ).fetchone()
    return cutoff
