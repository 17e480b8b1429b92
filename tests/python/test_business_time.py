"""Business-time arithmetic (macros/business_time/, int_rep_working_intervals) against an
independent model of contract section 3 written with zoneinfo.

One dbt run builds the working calendar in a temporary warehouse from generated reps and
holidays; one compiled query then evaluates every macro for every probe, through both lookup
strategies (DuckDB's ASOF join and the portable range join). The reference below walks local
days with zoneinfo and shares no code with the SQL. Two kinds of checks:

- named cases with hand-computed answers (open / close / spill / weekend / holiday / Sun-Thu /
  half-hour zone / DST in both hemispheres / SLA tiers), the list the lead_sla tests build on;
- a seeded random property test: random reps (zones with half-hour and 45-minute offsets,
  southern and midnight DST changes, Sun-Thu and 7-day weeks, working hours around the DST
  change times, 24-hour days), random holidays, instants and minute amounts. Due instants must
  match to the microsecond, business minutes to the second, and `due - start` measured by the
  calendar must equal the minutes added. Set BUSINESS_TIME_SEED to explore other draws.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from handoff import settings
from handoff.build import dbt_executable
from handoff.load import load

pytestmark = pytest.mark.dbt

SEED = int(os.environ.get("BUSINESS_TIME_SEED", "20260320"))
AS_OF = "2026-10-20 00:00:00"
PADDING_DAYS = 45  # var calendar_padding_days (default in dbt_project.yml)
FIRST_LEAD_AT = datetime(2026, 2, 20, 9, 0)
HORIZON_START = date(2026, 2, 19)  # the day before the first lead
HORIZON_END = date(2026, 10, 20) + timedelta(days=PADDING_DAYS)  # as_of + padding
PROBE_RANGE = (datetime(2026, 2, 21), datetime(2026, 11, 5))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",  # -03:30, DST
    "America/Santiago",  # southern DST, changes at local midnight
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",  # +05:30
    "Asia/Kathmandu",  # +05:45
    "Asia/Jerusalem",
    "Australia/Sydney",
    "Australia/Adelaide",  # +09:30 / +10:30
    "Australia/Lord_Howe",  # 30-minute DST change
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Tokyo",
    "UTC",
)
POLICIES = ((15, 120), (240, None), (1440, None))  # shipped sla_policies: tiers 1, 2, 3


# ---------------------------------------------------------------- independent reference model


@dataclass(frozen=True)
class Rep:
    rep_id: str
    timezone: str
    start_minute: int
    end_minute: int
    work_days: tuple[str, ...]
    holiday_calendar: str | None = None


@dataclass
class ReferenceCalendar:
    """A rep's working intervals (naive UTC) over the horizon, walked day by day."""

    intervals: list[tuple[datetime, datetime]] = field(default_factory=list)
    # the calendar answers from the horizon's first midnight (UTC, or its first interval when
    # that starts earlier) up to its last interval's end
    covered_from: datetime = datetime.min

    @classmethod
    def build(cls, rep: Rep, holidays: set[date], first: date, last: date) -> ReferenceCalendar:
        zone = ZoneInfo(rep.timezone)
        calendar = cls(covered_from=datetime.combine(first, time()))
        day = first
        while day <= last:
            if WEEKDAYS[day.weekday()] in rep.work_days and day not in holidays:
                start = wall_clock_to_utc(day, rep.start_minute, zone)
                end = wall_clock_to_utc(day, rep.end_minute, zone)
                if end > start:
                    calendar.intervals.append((start, end))
            day += timedelta(days=1)
        if calendar.intervals:
            calendar.covered_from = min(calendar.covered_from, calendar.intervals[0][0])
        return calendar

    def covers(self, instant: datetime) -> bool:
        return bool(self.intervals) and self.covered_from <= instant < self.intervals[-1][1]

    def in_working_time(self, instant: datetime) -> bool | None:
        if not self.covers(instant):
            return None
        return any(start <= instant < end for start, end in self.intervals)

    def clock_start(self, instant: datetime) -> datetime | None:
        if not self.covers(instant):
            return None
        return next(max(start, instant) for start, end in self.intervals if end > instant)

    def position_seconds(self, instant: datetime) -> float | None:
        """Working seconds before the instant."""
        if not self.covers(instant):
            return None
        total = timedelta()
        for start, end in self.intervals:
            if start >= instant:
                break
            total += min(end, instant) - start
        return total.total_seconds()

    def add(self, instant: datetime, minutes: float) -> datetime | None:
        """Walk forward from the instant, spending working time only."""
        if minutes < 0 or not self.covers(instant):
            return None
        remaining = timedelta(minutes=minutes)
        for start, end in self.intervals:
            if end <= instant:
                continue
            begin = max(start, instant)
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        return None

    def deadline(
        self, instant: datetime, business_minutes: int, calendar_minutes: int | None
    ) -> datetime | None:
        inside = self.in_working_time(instant)
        if inside is None:
            return None
        if calendar_minutes is None:
            return self.add(instant, business_minutes)
        by_calendar = instant + timedelta(minutes=calendar_minutes)
        if not inside:
            return by_calendar
        # inside working time the off-hours window caps the business deadline (contract s. 2)
        by_business = self.add(instant, business_minutes)
        return by_business if by_business is None else min(by_business, by_calendar)


def wall_clock_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """Local wall clock -> naive UTC. A skipped time reads with the offset before the change
    (fold=0), a repeated one as its later occurrence (fold=1): the later of the two readings."""
    local = datetime.combine(day, time()) + timedelta(minutes=minute)
    readings = (local.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    return max(readings).replace(tzinfo=None)


# ---------------------------------------------------------------- fixed reps and named cases

NAMED_REPS = (
    Rep("NY", "America/New_York", 9 * 60, 17 * 60, WEEKDAYS[:5], "NYH"),
    Rep("SYD", "Australia/Sydney", 8 * 60 + 30, 17 * 60, WEEKDAYS[:5], "AU"),
    Rep("KOL", "Asia/Kolkata", 10 * 60, 19 * 60, WEEKDAYS[:5], "IN"),
    Rep("TLV", "Asia/Jerusalem", 9 * 60, 18 * 60, ("mon", "tue", "wed", "thu", "sun"), "IL"),
)
NAMED_HOLIDAYS = {"NYH": [date(2026, 3, 16)], "IN": [date(2026, 3, 4)]}


@dataclass(frozen=True)
class Case:
    """An SLA deadline with its hand-computed answer (UTC). Local times in the comments."""

    name: str
    rep_id: str
    handoff_at: datetime
    business_minutes: int
    calendar_minutes: int | None
    in_hours: bool
    due_at: datetime


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# fmt: off
NAMED_CASE_ROWS = (
    # name, rep, handoff_at (UTC), business minutes, calendar minutes, in hours, due_at (UTC)
    # New York 09:00-17:00 Mon-Fri: 14:00-22:00 UTC until Sun 2026-03-08, then 13:00-21:00.
    # Tue 09:00 -> 09:15
    ("open_exactly_is_inside", "NY", "2026-03-03 14:00", 15, 120, True, "2026-03-03 14:15"),
    # Tue 17:00: off hours, 120 calendar minutes
    ("close_exactly_is_outside", "NY", "2026-03-03 22:00", 15, 120, False, "2026-03-04 00:00"),
    # 16:45 + 15 = 17:00, the close, not Wed 09:00
    ("ends_exactly_at_close", "NY", "2026-03-03 21:45", 15, 120, True, "2026-03-03 22:00"),
    # 16:50: 10 min Tue + 5 min from Wed 09:00 would be Wed 09:05; the 120-minute cap wins
    ("spill_past_close", "NY", "2026-03-03 21:50", 15, 120, True, "2026-03-03 23:50"),
    # the same spill without an off-hours window: Wed 09:05
    ("spill_past_close_uncapped", "NY", "2026-03-03 21:50", 15, None, True, "2026-03-04 14:05"),
    # 16:55 is due 18:55 (capped), earlier than 17:05's 19:05
    ("five_minutes_before_close", "NY", "2026-03-03 21:55", 15, 120, True, "2026-03-03 23:55"),
    ("five_minutes_after_close", "NY", "2026-03-03 22:05", 15, 120, False, "2026-03-04 00:05"),
    # Fri 15:00 EST: 2 h Fri + 2 h from Mon 09:00 EDT -> Mon 11:00 EDT
    ("friday_spill_into_dst", "NY", "2026-03-06 20:00", 240, None, True, "2026-03-09 15:00"),
    # Fri 15:00: 2 h Fri, Mon 03-16 is a holiday, 2 h Tue
    ("holiday_skipped", "NY", "2026-03-13 19:00", 240, None, True, "2026-03-17 15:00"),
    # Sat: 120 calendar minutes
    ("tier1_off_hours", "NY", "2026-03-07 15:00", 15, 120, False, "2026-03-07 17:00"),
    # Sat: Mon 09:00 EDT + 4 h
    ("tier2_off_hours", "NY", "2026-03-07 15:00", 240, None, False, "2026-03-09 17:00"),
    # Fri 09:00: Fri, Mon, Tue -> exactly Tue's close
    ("tier3_in_hours", "NY", "2026-03-06 14:00", 1440, None, True, "2026-03-10 21:00"),
    # Tue 18:30: Wed, Thu, Fri -> exactly Fri's close
    ("tier3_off_hours", "NY", "2026-03-03 23:30", 1440, None, False, "2026-03-06 22:00"),
    # Jerusalem 09:00-18:00 Sun-Thu (+02:00) = 07:00-16:00 UTC. Thu 16:00: 2 h Thu, 2 h Sun
    ("sunday_to_thursday", "TLV", "2026-03-05 14:00", 240, None, True, "2026-03-08 09:00"),
    # Kolkata 10:00-19:00 (+05:30) = 04:30-13:30 UTC; Holi 2026-03-04 is a holiday.
    ("half_hour_zone_open", "KOL", "2026-03-05 04:30", 15, 120, True, "2026-03-05 04:45"),
    ("half_hour_zone_before_open", "KOL", "2026-03-05 04:29:59", 15, 120, False,
     "2026-03-05 06:29:59"),
    # Tue 18:00: 1 h Tue, Wed holiday, 3 h Thu
    ("half_hour_zone_holiday", "KOL", "2026-03-03 12:30", 240, None, True, "2026-03-05 07:30"),
    # Sydney 08:30-17:00 Mon-Fri. DST ends Sun 2026-04-05 (+11 -> +10): Fri 15:00 AEDT,
    # 2 h Fri, Mon 08:30 AEST (22:30 UTC Sun) + 2 h
    ("southern_dst_end", "SYD", "2026-04-03 04:00", 240, None, True, "2026-04-06 00:30"),
    # DST starts Sun 2026-10-04 (+10 -> +11): Fri 15:00 AEST, 2 h Fri, Mon 08:30 AEDT + 2 h
    ("southern_dst_start", "SYD", "2026-10-02 05:00", 240, None, True, "2026-10-04 23:30"),
)
# fmt: on
NAMED_CASES = tuple(
    Case(name, rep_id, at(handoff), business, calendar, inside, at(due))
    for name, rep_id, handoff, business, calendar, inside, due in NAMED_CASE_ROWS
)

# (name, rep, start, end, business minutes between)
NAMED_DISTANCES = (
    ("weekend_counts_nothing", "NY", at("2026-03-06 21:00"), at("2026-03-09 14:00"), 120.0),
    ("seconds_around_the_night", "NY", at("2026-03-03 21:59:30"), at("2026-03-04 14:00:30"), 1.0),
    ("reversed_is_negative", "NY", at("2026-03-04 14:00:30"), at("2026-03-03 21:59:30"), -1.0),
    ("outside_to_outside_same_gap", "NY", at("2026-03-07 01:00"), at("2026-03-08 23:00"), 0.0),
)


# ---------------------------------------------------------------- random reps and probes

# Working hours that straddle DST changes, every day, probed around the change days.
EDGE_REPS = (
    # 02:30-03:15: on 2026-03-08 02:30 does not exist (reads as 03:30 EDT), the day is empty
    Rep("GAP", "America/New_York", 150, 195, WEEKDAYS),
    # 00:30-01:45: on 2026-11-01 01:45 happens twice (the later counts), a 135-minute day
    Rep("FOLD", "America/New_York", 30, 105, WEEKDAYS),
    # 00:00-01:30 in Santiago, which changes clocks at midnight (2026-04-05, 2026-09-06)
    Rep("MIDNIGHT", "America/Santiago", 0, 90, WEEKDAYS),
)
EDGE_WINDOWS = (
    (datetime(2026, 3, 6), datetime(2026, 3, 11)),
    (datetime(2026, 4, 3), datetime(2026, 4, 8)),
    (datetime(2026, 9, 4), datetime(2026, 9, 9)),
    (datetime(2026, 10, 30), datetime(2026, 11, 4)),
)


def random_reps(rng: random.Random) -> list[Rep]:
    reps = []
    for number in range(24):
        zone = ZONES[number % len(ZONES)]
        shape = rng.random()
        if shape < 0.15:  # the whole day, every day: DST days are 23 or 25 hours
            start, end, days = 0, 1440, WEEKDAYS
        elif shape < 0.35:  # hours around the DST change times, every day
            start = rng.randrange(0, 4 * 60, 15)
            end = rng.randrange(start + 15, 6 * 60 + 1, 15)
            days = WEEKDAYS
        else:
            start = rng.randrange(0, 20 * 60, 15)
            end = rng.randrange(start + 30, min(start + 14 * 60, 1440) + 1, 15)
            week = rng.choice(
                (WEEKDAYS[:5], ("mon", "tue", "wed", "thu", "sun"), WEEKDAYS[:6], ("wed",))
            )
            days = week
        calendar = rng.choice(("HA", "HB", None))
        reps.append(Rep(f"P{number:02d}", zone, start, end, tuple(days), calendar))
    return reps


def random_holidays(rng: random.Random) -> dict[str, list[date]]:
    span = (HORIZON_END - HORIZON_START).days
    return {
        name: sorted({HORIZON_START + timedelta(days=rng.randrange(span)) for _ in range(25)})
        for name in ("HA", "HB")
    }


def random_probes(
    rng: random.Random,
    reps: list[Rep],
    calendars: dict[str, ReferenceCalendar],
    windows: tuple[tuple[datetime, datetime], ...] = (PROBE_RANGE,),
    count: int = 22,
) -> list[dict]:
    probes = []
    for rep in reps:
        calendar = calendars[rep.rep_id]
        for _ in range(count):
            low, high = rng.choice(windows)
            intervals = [
                interval for interval in calendar.intervals if low <= interval[0] < high
            ] or calendar.intervals
            if rng.random() < 0.4:
                start = low + timedelta(seconds=rng.randrange(int((high - low).total_seconds())))
            else:  # on or next to an interval boundary
                interval_start, interval_end = rng.choice(intervals)
                edge = rng.choice((interval_start, interval_end))
                start = edge + timedelta(seconds=rng.choice((-61, -1, 0, 0, 1, 59)))
            pick = rng.random()
            if pick < 0.25 and calendar.in_working_time(start):
                # exactly the rest of the interval: must end at its close
                end_of_interval = next(
                    end for begin, end in calendar.intervals if begin <= start < end
                )
                minutes = (end_of_interval - start).total_seconds() / 60
            elif pick < 0.35:
                minutes = rng.choice((0, 0.25, 7.5, 59.75))
            else:
                minutes = rng.choice((1, 15, 120, 240, 480, 1440, rng.randrange(1, 4000)))
            business, off_hours = rng.choice((*POLICIES, (rng.randrange(1, 600), 30)))
            end = start + timedelta(seconds=rng.randrange(-3 * 86400, 12 * 86400))
            probes.append(
                {
                    "rep_id": rep.rep_id,
                    "start_at": start,
                    "end_at": end,
                    "minutes": float(minutes),
                    "in_hours_business_minutes": business,
                    "off_hours_calendar_minutes": off_hours,
                }
            )
    return probes


# ---------------------------------------------------------------- warehouse and dbt

PROBE_QUERY = """
with probes as (select * from probe.probes)
{%- for strategy in ['asof', 'range'] %},
added_{{ strategy }} as (
    {{ add_working_minutes('probes', 'rep_id', 'start_at', 'minutes', 'due_at',
        strategy=strategy) }}
),
measured_{{ strategy }} as (
    {{ business_minutes_between('added_' ~ strategy, 'rep_id', 'start_at', 'due_at',
        'due_business_minutes', strategy=strategy) }}
),
between_{{ strategy }} as (
    {{ business_minutes_between('measured_' ~ strategy, 'rep_id', 'start_at', 'end_at',
        'between_minutes', strategy=strategy) }}
),
positioned_{{ strategy }} as (
    {{ working_time_position('between_' ~ strategy, 'rep_id', 'start_at', strategy=strategy) }}
),
deadline_{{ strategy }} as (
    {{ sla_deadline('positioned_' ~ strategy, 'rep_id', 'start_at', 'in_hours_business_minutes',
        'off_hours_calendar_minutes', 'sla_due_at', 'is_in_hours', strategy=strategy) }}
)
{%- endfor %}
select 'asof' as strategy, * from deadline_asof
union all
select 'range' as strategy, * from deadline_range
"""


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([["" if value is None else value for value in row] for row in rows])


def hh_mm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def write_raw(folder: Path, reps: list[Rep], holidays: dict[str, list[date]]) -> None:
    folder.mkdir(parents=True)
    write_csv(
        folder / "sales_reps.csv",
        [
            "rep_id",
            "timezone",
            "work_start_local",
            "work_end_local",
            "work_days",
            "holiday_calendar",
            "is_active",
        ],
        [
            *[
                [
                    rep.rep_id,
                    rep.timezone,
                    hh_mm(rep.start_minute),
                    hh_mm(rep.end_minute),
                    ",".join(day.title() for day in rep.work_days),
                    rep.holiday_calendar,
                    "true",
                ]
                for rep in reps
            ],
            ["MARS", "Mars/Olympus_Mons", "09:00", "17:00", "Mon,Tue,Wed,Thu,Fri", None, "true"],
        ],
    )
    write_csv(
        folder / "holidays.csv",
        ["holiday_calendar", "holiday_date", "holiday_name"],
        [[name, day.isoformat(), "day off"] for name, days in holidays.items() for day in days],
    )
    write_csv(
        folder / "leads.csv",
        ["lead_id", "created_at"],
        [["L1", FIRST_LEAD_AT.isoformat(sep=" ")], ["L2", "2026-10-01 12:00:00"]],
    )


def run_dbt(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run(
        [dbt_executable(), *args, "--vars", f"{{as_of: '{AS_OF}'}}"],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return completed.stdout


@dataclass
class Evaluated:
    reps: dict[str, Rep]
    calendars: dict[str, ReferenceCalendar]
    rows: list[dict]
    horizon: tuple[date, date]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evaluated]:
    root = tmp_path_factory.mktemp("business_time")
    rng = random.Random(SEED)
    reps = [*NAMED_REPS, *EDGE_REPS, *random_reps(rng)]
    holidays = {**NAMED_HOLIDAYS, **random_holidays(rng)}
    calendars = {
        rep.rep_id: ReferenceCalendar.build(
            rep, set(holidays.get(rep.holiday_calendar, [])), HORIZON_START, HORIZON_END
        )
        for rep in reps
    }
    probes = [
        *random_probes(rng, reps[len(NAMED_REPS) + len(EDGE_REPS) :], calendars),
        *random_probes(rng, list(EDGE_REPS), calendars, EDGE_WINDOWS, count=40),
    ]
    for case in NAMED_CASES:
        probes.append(
            {
                "rep_id": case.rep_id,
                "start_at": case.handoff_at,
                "end_at": case.handoff_at,
                "minutes": float(case.business_minutes),
                "in_hours_business_minutes": case.business_minutes,
                "off_hours_calendar_minutes": case.calendar_minutes,
                "case_name": case.name,
            }
        )
    for name, rep_id, start, end, _ in NAMED_DISTANCES:
        probes.append(
            {
                "rep_id": rep_id,
                "start_at": start,
                "end_at": end,
                "minutes": 0.0,
                "in_hours_business_minutes": 15,
                "off_hours_calendar_minutes": None,
                "case_name": name,
            }
        )
    for rep_id in ("MARS", "NOBODY"):  # quarantined (unknown time zone) / not a rep at all
        probes.append(
            {
                "rep_id": rep_id,
                "start_at": at("2026-03-03 15:00"),
                "end_at": at("2026-03-04 15:00"),
                "minutes": 15.0,
                "in_hours_business_minutes": 15,
                "off_hours_calendar_minutes": 120,
                "case_name": f"no_calendar_{rep_id}",
            }
        )
    probes.append(  # 5000 business minutes from a week before the horizon's end
        {
            "rep_id": "NY",
            "start_at": datetime.combine(HORIZON_END, time(15)) - timedelta(days=7),
            "end_at": datetime.combine(HORIZON_END + timedelta(days=1), time(15)),
            "minutes": 5000.0,
            "in_hours_business_minutes": 5000,
            "off_hours_calendar_minutes": None,
            "case_name": "beyond_horizon",
        }
    )
    for number, probe in enumerate(probes):
        probe["probe_id"] = number
        probe.setdefault("case_name", None)

    write_raw(root / "raw", reps, holidays)
    warehouse = root / "warehouse.duckdb"
    load(root / "raw", warehouse)
    env = settings.dbt_environment()
    env.update(
        HANDOFF_DUCKDB_PATH=str(warehouse),
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "logs"),
        DBT_PROFILES_DIR=str(settings.PROFILES_DIR),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    env.pop("HANDOFF_TARGET", None)
    run_dbt(["run", "--select", "+int_rep_working_intervals"], env)

    columns = [
        "probe_id",
        "case_name",
        "rep_id",
        "start_at",
        "end_at",
        "minutes",
        "in_hours_business_minutes",
        "off_hours_calendar_minutes",
    ]
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema probe")
        connection.execute(
            "create table probe.probes (probe_id integer, case_name varchar, rep_id varchar, "
            "start_at timestamp, end_at timestamp, minutes double, "
            "in_hours_business_minutes integer, off_hours_calendar_minutes integer)"
        )
        connection.executemany(
            f"insert into probe.probes values ({', '.join('?' * len(columns))})",
            [[probe[column] for column in columns] for probe in probes],
        )
    compiled = run_dbt(["compile", "--quiet", "--inline", PROBE_QUERY], env)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        result = connection.execute(compiled)
        names = [column[0] for column in result.description]
        rows = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        horizon = connection.execute(
            "select horizon_start_date, horizon_end_date from intermediate.int_calendar_horizon"
        ).fetchone()
    yield Evaluated({rep.rep_id: rep for rep in reps}, calendars, rows, horizon)


def by_strategy(evaluated: Evaluated, strategy: str) -> dict[int, dict]:
    return {row["probe_id"]: row for row in evaluated.rows if row["strategy"] == strategy}


def seconds(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes * 60, 3)


# ---------------------------------------------------------------- tests


def test_calendar_spans_the_data_driven_horizon(evaluated: Evaluated):
    assert evaluated.horizon == (HORIZON_START, HORIZON_END)


def test_reference_model_has_the_dst_edge_days_it_is_meant_to_probe(evaluated: Evaluated):
    def day_minutes(rep_id: str, day: date) -> list[float]:
        zone = ZoneInfo(evaluated.reps[rep_id].timezone)
        return [
            (end - start).total_seconds() / 60
            for start, end in evaluated.calendars[rep_id].intervals
            if start.replace(tzinfo=UTC).astimezone(zone).date() == day
            or end.replace(tzinfo=UTC).astimezone(zone).date() == day
        ]

    assert day_minutes("GAP", date(2026, 3, 8)) == []  # emptied by the skipped hour
    assert day_minutes("GAP", date(2026, 3, 9)) == [45]
    assert day_minutes("FOLD", date(2026, 11, 1)) == [135]  # 01:00-01:45 happens twice
    assert day_minutes("MIDNIGHT", date(2026, 9, 6)) == [30]  # 00:00-01:00 skipped
    assert day_minutes("MIDNIGHT", date(2026, 4, 5)) == [90]


@pytest.mark.parametrize("case", NAMED_CASES, ids=lambda case: case.name)
def test_named_sla_deadlines(evaluated: Evaluated, case: Case):
    for strategy in ("asof", "range"):
        row = next(
            row
            for row in by_strategy(evaluated, strategy).values()
            if row["case_name"] == case.name
        )
        assert row["is_in_hours"] is case.in_hours, strategy
        assert row["sla_due_at"] == case.due_at, strategy
        assert row["is_start_in_working_time"] is case.in_hours, strategy


@pytest.mark.parametrize("distance", NAMED_DISTANCES, ids=lambda distance: distance[0])
def test_named_business_minutes_between(evaluated: Evaluated, distance: tuple):
    name, _, _, _, expected = distance
    for strategy in ("asof", "range"):
        row = next(
            row for row in by_strategy(evaluated, strategy).values() if row["case_name"] == name
        )
        assert row["between_minutes"] == pytest.approx(expected, abs=1e-9), strategy


def test_random_probes_match_the_zoneinfo_reference(evaluated: Evaluated):
    rows = [row for row in by_strategy(evaluated, "asof").values() if row["case_name"] is None]
    assert len(rows) > 400
    mismatches = []
    reached = 0
    for row in rows:
        calendar = evaluated.calendars[row["rep_id"]]
        start, end, minutes = row["start_at"], row["end_at"], row["minutes"]
        due = calendar.add(start, minutes)
        position_start = calendar.position_seconds(start)
        position_end = calendar.position_seconds(end)
        between = (
            None
            if position_start is None or position_end is None
            else position_end - position_start
        )
        expected = {
            "is_start_in_working_time": calendar.in_working_time(start),
            "start_clock_start_at": calendar.clock_start(start),
            "start_business_position_minutes": position_start,
            "due_at": due,
            "between_minutes": between,
            "is_in_hours": calendar.in_working_time(start),
            "sla_due_at": calendar.deadline(
                start, row["in_hours_business_minutes"], row["off_hours_calendar_minutes"]
            ),
        }
        actual = {
            **{key: row[key] for key in expected},
            "start_business_position_minutes": seconds(row["start_business_position_minutes"]),
            "between_minutes": seconds(row["between_minutes"]),
        }
        differing = {
            key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]
        }
        if differing:
            mismatches.append((evaluated.reps[row["rep_id"]], start, minutes, differing))
        if due is not None and calendar.covers(due):  # the calendar's very end is exclusive
            reached += 1
            # the calendar measures exactly the minutes it added (due - start = N)
            assert seconds(row["due_business_minutes"]) == round(minutes * 60, 3), row
    assert not mismatches, (
        f"seed {SEED}: {len(mismatches)} mismatches (sql, reference); first: {mismatches[:3]}"
    )
    assert reached > 0.8 * len(rows)  # most deadlines fall inside the horizon


def test_asof_and_range_lookups_agree(evaluated: Evaluated):
    asof, ranged = by_strategy(evaluated, "asof"), by_strategy(evaluated, "range")
    assert asof.keys() == ranged.keys()
    differing = [
        probe_id
        for probe_id, row in asof.items()
        if {**row, "strategy": None} != {**ranged[probe_id], "strategy": None}
    ]
    assert not differing, [asof[probe_id] for probe_id in differing[:3]]


def test_reps_without_a_calendar_give_null_not_an_error(evaluated: Evaluated):
    outputs = (
        "due_at",
        "between_minutes",
        "start_business_position_minutes",
        "is_start_in_working_time",
        "start_clock_start_at",
        "is_in_hours",
        "sla_due_at",
    )
    for strategy in ("asof", "range"):
        rows = [
            row
            for row in by_strategy(evaluated, strategy).values()
            if (row["case_name"] or "").startswith("no_calendar_")
        ]
        assert len(rows) == 2
        for row in rows:
            assert all(row[column] is None for column in outputs), row


def test_deadlines_past_the_horizon_give_null(evaluated: Evaluated):
    for strategy in ("asof", "range"):
        rows = by_strategy(evaluated, strategy).values()
        (beyond,) = [row for row in rows if row["case_name"] == "beyond_horizon"]
        assert beyond["is_start_in_working_time"] is True  # the start is still known
        assert beyond["due_at"] is None and beyond["sla_due_at"] is None
        assert beyond["between_minutes"] is None  # the end is past the calendar's last day
        for row in rows:
            if row["case_name"] is None and row["due_at"] is None:
                calendar = evaluated.calendars[row["rep_id"]]
                assert calendar.add(row["start_at"], row["minutes"]) is None
