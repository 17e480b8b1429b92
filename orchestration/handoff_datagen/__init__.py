"""`handoff generate`: a deterministic, realistic synthetic raw data set (contract section 1).

    generate(out_dir, leads=5000, days=60, seed=42, end_date=None, file_format="parquet")

writes one `<table>.<parquet|csv>` per raw contract table, with exactly the contract's columns
in contract order, and returns the rows written per table (contract order).

Time: the data covers the `days` full UTC days before `end_date`; the span ends at
`end_date` 00:00:00 UTC (exclusive), the moment of the "export". Nothing in the files is at or
after it, so `as_of = '<end_date> 00:00:00'` (or any later instant) sees a consistent
world. `end_date` defaults to today (UTC): the only use of the wall clock.

Determinism: the same arguments give byte-identical files. Every concern draws from its own
seeded numpy stream; DuckDB writes the files in insertion order.

Every `*_at` column is text 'YYYY-MM-DD HH:MM:SS' (UTC) and `holiday_date` is 'YYYY-MM-DD',
as a CRM export would write them, because a small share of values is garbage on purpose
(see `bad_rows`). Numbers and booleans are typed.

    respond(out_dir, plan, leads=5000, days=60, seed=42, end_date=..., file_format="parquet")

writes the sales side again (sales_activities, lead_acknowledgements, lead_dispositions,
opportunities) as the reps' response to a `HandoffPlan` read from a warehouse built on the
data `generate` wrote with the same arguments: `handoff demo`'s second pass (`plan`,
`behaviour`). Dispositions and opportunities follow the new first touches, so conversion still
falls with the response time. Same arguments and plan, same files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from handoff.contract import raw_tables
from handoff_datagen.accounts import Companies, build_companies
from handoff_datagen.campaigns import build_campaigns
from handoff_datagen.engagement import build_engagement
from handoff_datagen.enrichment import build_enrichment
from handoff_datagen.leads import Leads, build_leads
from handoff_datagen.pipeline import build_dispositions, build_opportunities
from handoff_datagen.plan import HandoffPlan, Window, respond_to_plan
from handoff_datagen.reps import Reps, build_reps
from handoff_datagen.sales import Response, build_response
from handoff_datagen.writer import FORMATS, Table, Writer

__all__ = [
    "FORMATS",
    "MAX_LEADS",
    "RESPONSE_TABLES",
    "HandoffPlan",
    "Window",
    "World",
    "generate",
    "rebuild",
    "respond",
    "span",
]

DAY = 86_400
MAX_LEADS = 20_000_000
MAX_DAYS = 3_660

Progress = Callable[[str, int], None]
# the tables `respond` writes again: the sales side and what depends on it
RESPONSE_TABLES = (
    "sales_activities",
    "lead_acknowledgements",
    "lead_dispositions",
    "opportunities",
)


def span(end_date: date, days: int) -> tuple[int, int]:
    """(start, end) of the data in epoch seconds: the `days` UTC days before `end_date`."""
    end = int(datetime(end_date.year, end_date.month, end_date.day, tzinfo=UTC).timestamp())
    return end - days * DAY, end


def _end_date(end_date: date | str | None) -> date:
    if end_date is None:
        return datetime.now(UTC).date()
    return date.fromisoformat(end_date) if isinstance(end_date, str) else end_date


def _check(leads: int, days: int, seed: int, file_format: str) -> None:
    if not 1 <= leads <= MAX_LEADS:
        raise ValueError(f"leads must be between 1 and {MAX_LEADS:,}, not {leads}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    if seed < 0:
        raise ValueError(f"seed must be zero or positive, not {seed}")
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {file_format!r}")


def generate(
    out_dir: Path | str,
    leads: int = 5000,
    days: int = 60,
    seed: int = 42,
    end_date: date | str | None = None,
    file_format: str = "parquet",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the data set into `out_dir`; returns rows per table in contract order.

    `progress(table, rows)` is called after each file is written (e.g. to drive a rich bar).
    """
    _check(leads, days, seed, file_format)
    start, cutoff = span(_end_date(end_date), days)
    with _emitter(out_dir, file_format, progress) as (emit, written):
        reps = build_reps(seed, leads, days, start, cutoff)
        for table in reps.tables:
            emit(table)
        campaigns = build_campaigns(seed, start, cutoff)
        emit(campaigns.table)
        companies = build_companies(seed, leads, reps)
        emit(companies.table)
        people = build_leads(seed, leads, start, cutoff, companies, campaigns)
        emit(people.table)
        emit(build_enrichment(seed, people, cutoff))
        engagement = build_engagement(seed, people, campaigns, cutoff)
        emit(engagement.table)  # generated chunk by chunk while written; then who got hot
        response = build_response(seed, people, engagement, reps, companies, cutoff)
        _emit_response(emit, seed, people, response, companies, cutoff, start)

    return {name: written[name] for name in raw_tables() if name in written}


def respond(
    out_dir: Path | str,
    plan: HandoffPlan,
    leads: int = 5000,
    days: int = 60,
    seed: int = 42,
    end_date: date | str | None = None,
    file_format: str = "parquet",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write `RESPONSE_TABLES` into `out_dir` as the reps' response to `plan`; rows per table.

    The other arguments must be those `generate` wrote the planned data set with: the leads,
    reps and accounts are rebuilt from them (cheaply: no marketing events), so lead and rep
    numbers mean what they meant in the warehouse.
    """
    _check(leads, days, seed, file_format)
    world = rebuild(leads, days, seed, end_date)
    response = respond_to_plan(seed, world.leads, world.reps, plan, world.cutoff)
    with _emitter(out_dir, file_format, progress) as (emit, written):
        _emit_response(
            emit, seed, world.leads, response, world.companies, world.cutoff, world.start
        )
    return {name: written[name] for name in RESPONSE_TABLES}


@contextmanager
def _emitter(
    out_dir: Path | str, file_format: str, progress: Progress | None
) -> Iterator[tuple[Callable[[Table], None], dict[str, int]]]:
    """`emit(table)` writes a table into `out_dir` (and reports it to `progress`); the dict
    collects the rows written per table."""
    written: dict[str, int] = {}
    with Writer(Path(out_dir), file_format) as writer:

        def emit(table: Table) -> None:
            written[table.name] = writer.write(table)
            if progress:
                progress(table.name, written[table.name])

        yield emit, written


@dataclass(frozen=True)
class World:
    """The people of a data set without its events: what a response to a plan needs."""

    reps: Reps
    companies: Companies
    leads: Leads
    start: int
    cutoff: int


def rebuild(leads: int, days: int, seed: int, end_date: date | str | None = None) -> World:
    """The reps, accounts and leads `generate` writes with these arguments (no events)."""
    start, cutoff = span(_end_date(end_date), days)
    reps = build_reps(seed, leads, days, start, cutoff)
    companies = build_companies(seed, leads, reps)
    campaigns = build_campaigns(seed, start, cutoff)
    people = build_leads(seed, leads, start, cutoff, companies, campaigns)
    return World(reps, companies, people, start, cutoff)


def _emit_response(emit, seed, people, response: Response, companies, cutoff, start) -> None:
    """The sales side of a response, then the verdicts and pipeline that follow from it."""
    emit(response.activities)
    emit(response.acknowledgements)
    opportunities, opp_created = build_opportunities(
        seed, people, response, companies, cutoff, start
    )
    emit(build_dispositions(seed, people, response, companies, opp_created, cutoff))
    emit(opportunities)
