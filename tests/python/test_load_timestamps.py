"""Raw timestamps written with a UTC offset land on their UTC instant, through the SLA chain.

The committed fixtures already write some events with offsets (+05:30, -05:00, Z, +0200); the
first test reads their instants back from the built fixture warehouse. The second rewrites every
timestamp of every fixture table with an offset and checks that the marts do not change. Typed
`timestamptz` parquet columns read in a non-UTC session: test_load_bad_input.
"""

from __future__ import annotations

import csv
import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES_AS_OF, FIXTURES_RAW
from handoff.build import run_dbt
from handoff.load import load

NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
WITH_OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)$")
# Rewritten in turn: whole, half and negative hours, Z, compact and hour-only offsets.
OFFSETS = ["+02:00", "-05:00", "+05:30", "Z", "-0330", "+09", "+14:00", "-11:00"]
SLA_CHAIN_MARTS = ["leads", "lead_assignments", "lead_sla", "sla_alerts", "crm_assignment_sync"]


def utc_instant(text: str) -> datetime:
    """What the warehouse must read: Python's own ISO parsing, converted to naive UTC."""
    value = text.strip().replace("Z", "+00:00")
    if re.search(r"[+-]\d{2}$", value):  # '+05' -> '+05:00'
        value += ":00"
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def written_with(instant: datetime, offset: str) -> str:
    """The UTC instant as the wall-clock time at `offset`, followed by the offset."""
    if offset == "Z":
        return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "").ljust(4, "0")
    shift = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (instant + shift).strftime("%Y-%m-%d %H:%M:%S") + offset


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_offset_written_fixture_events_hand_off_at_their_utc_instant(fixture_warehouse: Path):
    events = query(
        fixture_warehouse, "select event_id, occurred_at from raw.marketing_events order by 1"
    )
    written = {event_id: text for event_id, text in events if WITH_OFFSET.search(text or "")}
    assert len(written) >= 4, "the fixtures should write some events with an offset"
    staged = dict(
        query(fixture_warehouse, "select event_id, occurred_at from staging.stg_marketing__events")
    )
    for event_id, text in written.items():
        assert staged[event_id] == utc_instant(text), (event_id, text)
    # Tier 1 leads whose first explicit-intent event is one of them hand off at that instant
    handoffs = query(
        fixture_warehouse,
        """
        select events.occurred_at, sla.handoff_at, sla.sla_due_at
        from marts.lead_sla as sla
        inner join raw.marketing_events as events
            on sla.lead_id = events.lead_id and events.event_id in ('E003', 'E015', 'E016')
        where sla.priority_tier = 1
        """,
    )
    assert len(handoffs) >= 3
    for text, handoff_at, due_at in handoffs:
        assert handoff_at == utc_instant(text)
        assert handoff_at < due_at <= handoff_at + timedelta(minutes=120)


def naive_instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if NAIVE.match(text) else None
    except ValueError:  # '2026-13-45 10:00:00'
        return None


def shift_every_timestamp(source: Path, target: Path) -> int:
    """Copy the fixture CSVs, every naive `*_at` value rewritten with an offset; cells changed."""
    target.mkdir(parents=True)
    offsets = itertools.cycle(OFFSETS)
    changed = 0
    for path in sorted(source.glob("*.csv")):
        with path.open(newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        stamp_columns = [i for i, name in enumerate(header) if name.endswith("_at")]
        for row in rows[1:]:
            for i in stamp_columns:
                instant = naive_instant(row[i]) if i < len(row) else None
                if instant is not None:  # garbage stays garbage, to be quarantined as before
                    row[i] = written_with(instant, next(offsets))
                    changed += 1
        with (target / path.name).open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return changed


def mart_differences(database: Path, reference: Path, mart: str) -> int:
    """Rows of `mart` in one warehouse and not in the other, both ways."""
    with duckdb.connect(str(database), read_only=True) as connection:
        connection.execute(f"attach '{reference}' as reference (read_only)")
        return connection.execute(
            f"""
            select count(*) from (
                (select * from marts.{mart} except all select * from reference.marts.{mart})
                union all
                (select * from reference.marts.{mart} except all select * from marts.{mart})
            )
            """
        ).fetchone()[0]


@pytest.mark.dbt
def test_every_timestamp_written_with_an_offset_gives_the_same_marts(
    fixture_warehouse: Path, copy_warehouse: Path, tmp_path: Path
):
    shifted = tmp_path / "shifted"
    assert shift_every_timestamp(FIXTURES_RAW, shifted) > 150

    load(shifted, copy_warehouse)  # replaces every raw table (same row counts)
    command = [
        "run", "--quiet", "--full-refresh",
        "--select", *(f"+{mart}" for mart in SLA_CHAIN_MARTS),
        "--vars", f"{{as_of: '{FIXTURES_AS_OF}'}}",
    ]  # fmt: skip
    assert run_dbt(command, copy_warehouse) == 0

    assert query(copy_warehouse, "select count(*) from marts.lead_sla")[0][0] > 5
    for mart in SLA_CHAIN_MARTS:
        assert mart_differences(copy_warehouse, fixture_warehouse, mart) == 0, mart
