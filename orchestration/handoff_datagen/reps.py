"""The sales team: reps and their calendars (sales_reps, holidays, rep_time_off).

The roster is fixed in shape (teams, zones, roles) so every data set exercises the same
calendar edge cases: a half-hour zone (Asia/Kolkata), a southern-hemisphere DST zone
(Australia/Sydney), a Sunday-Thursday week (Asia/Jerusalem), one rep whose time zone does
not exist, 1-2 inactive reps, one SDR with routing weight 0. Names, hours, weights and time
off come from the seed; capacities scale with the lead volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_library
import numpy as np

from handoff_datagen.arrays import NULL, stream
from handoff_datagen.behaviour import SLOW_REPS
from handoff_datagen.calendar import WorkCalendar, WorkPattern
from handoff_datagen.vocab import (
    FIRST_NAMES,
    LAST_NAMES,
    TEAMS,
    TIME_OFF_REASONS,
    UNKNOWN_TIME_ZONE,
)
from handoff_datagen.writer import ID_PATTERNS, Table, ts

MON_FRI = "Mon,Tue,Wed,Thu,Fri"
SUN_THU = "Sun,Mon,Tue,Wed,Thu"
HOLIDAY_CALENDARS = ("US", "GB", "DE", "IL", "IN", "AU", "SG", "IE")
EMAIL_DOMAIN = "example-corp.com"

# (team, role, time zone, holiday calendar, work days, how many)
ROSTER: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("north_america", "manager", "America/New_York", "US", MON_FRI, 1),
    ("north_america", "sdr", "America/New_York", "US", MON_FRI, 3),
    ("north_america", "sdr", "America/Chicago", "US", MON_FRI, 3),
    ("north_america", "sdr", "America/Los_Angeles", "US", MON_FRI, 2),
    ("emea", "manager", "Europe/London", "GB", MON_FRI, 1),
    ("emea", "sdr", "Europe/London", "GB", MON_FRI, 3),
    ("emea", "sdr", "Europe/Berlin", "DE", MON_FRI, 3),
    ("emea", "sdr", "Asia/Jerusalem", "IL", SUN_THU, 2),
    ("apac", "manager", "Asia/Singapore", "SG", MON_FRI, 1),
    ("apac", "sdr", "Asia/Kolkata", "IN", MON_FRI, 2),
    ("apac", "sdr", "Australia/Sydney", "AU", MON_FRI, 2),
    ("apac", "sdr", "Asia/Singapore", "SG", MON_FRI, 2),
    ("enterprise", "manager", "America/New_York", "US", MON_FRI, 1),
    ("enterprise", "ae", "America/New_York", "US", MON_FRI, 3),
    ("enterprise", "ae", "Europe/London", "GB", MON_FRI, 2),
    ("inbound", "manager", "America/New_York", "US", MON_FRI, 1),
    ("inbound", "sdr", "America/New_York", "US", MON_FRI, 2),
    ("inbound", "sdr", "Europe/Dublin", "IE", MON_FRI, 2),
    # a rep whose time zone does not exist: quarantined downstream, never given work here
    ("inbound", "sdr", UNKNOWN_TIME_ZONE, "US", MON_FRI, 1),
)
HOURS = (("09:00", "17:00"), ("08:30", "17:30"), ("10:00", "18:00"))
HOURS_WEIGHTS = (0.7, 0.15, 0.15)
# Rough share of routed leads per team and of leads that get routed: sizes max_open_leads.
TEAM_LOAD_SHARE = {
    "north_america": 0.36,
    "emea": 0.24,
    "apac": 0.14,
    "enterprise": 0.14,
    "inbound": 0.12,
}
ROUTED_SHARE = 0.28
# dbt var open_lead_window_days: an unclosed lead stops counting against capacity after it
OPEN_DAYS = 30
_SLACK_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))


@dataclass
class Reps:
    """One entry per rep, index r <-> rep_id R{r+1:03d}."""

    team: np.ndarray  # code into TEAMS
    role: list[str]
    time_zone: list[str]
    holiday_calendar: list[str]
    is_active: np.ndarray  # bool
    routing_weight: np.ndarray  # float
    manager: np.ndarray  # rep index or NULL
    backup: np.ndarray  # rep index or NULL
    has_calendar: np.ndarray  # bool: a real time zone
    calendar: WorkCalendar
    time_off: list[tuple[int, int, int]]  # clean (rep, starts, ends) epoch seconds
    tables: list[Table]

    @property
    def ids(self) -> list[str]:
        """rep_id of every rep, by index (as sales_reps writes them)."""
        return [ID_PATTERNS["rep_num"] % (r + 1) for r in range(len(self.team))]

    def routable(self, team: int) -> np.ndarray:
        """Reps that receive round-robin leads of `team`, and their weights."""
        return np.flatnonzero(
            (self.team == team) & self.is_active & self.has_calendar & (self.routing_weight > 0)
        )


def _holiday_rows(years: range) -> list[tuple[str, date, str]]:
    rows: list[tuple[str, date, str]] = []
    for code in HOLIDAY_CALENDARS:
        days = holiday_library.country_holidays(code, years=list(years), language="en_US")
        rows.extend((code, day, name) for day, name in sorted(days.items()))
    return rows


def _local_midnight(day: date, zone: str) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone)).timestamp())


def build_reps(seed: int, leads: int, days: int, span_start: int, cutoff: int) -> Reps:
    rng = stream(seed, "reps")
    spec = [row for row in ROSTER for _ in range(row[5])]
    n = len(spec)
    team = np.array([TEAMS.index(row[0]) for row in spec], dtype=np.int16)
    role = [row[1] for row in spec]
    zone = [row[2] for row in spec]
    calendar_code = [row[3] for row in spec]
    work_days = [row[4] for row in spec]
    is_manager = np.array([r == "manager" for r in role])
    has_calendar = np.array([z != UNKNOWN_TIME_ZONE for z in zone])

    first = rng.permutation(len(FIRST_NAMES))[:n]
    last = rng.integers(0, len(LAST_NAMES), n)
    hours = np.where(is_manager, 0, rng.choice(len(HOURS), size=n, p=HOURS_WEIGHTS))
    weight = np.where(is_manager, 0.0, rng.choice([1.0, 0.5, 2.0], size=n, p=[0.76, 0.12, 0.12]))
    # the designated slow reps (behaviour.SLOW_REPS) stay active with a full share of leads
    slow = np.isin([ID_PATTERNS["rep_num"] % (r + 1) for r in range(n)], SLOW_REPS)
    weight[slow] = 1.0
    members = np.flatnonzero(
        ~is_manager & has_calendar & ~slow & (team != TEAMS.index("enterprise"))
    )
    # one SDR takes no round-robin leads; one or two reps have left the company
    weight[members[rng.integers(len(members))]] = 0.0
    active = np.ones(n, dtype=bool)
    candidates = members[weight[members] > 0]
    active[rng.choice(candidates, size=int(rng.integers(1, 3)), replace=False)] = False

    manager = np.full(n, NULL, dtype=np.int64)
    backup = np.full(n, NULL, dtype=np.int64)
    for t in range(len(TEAMS)):
        team_reps = np.flatnonzero(team == t)
        boss = team_reps[is_manager[team_reps]][0]
        workers = team_reps[~is_manager[team_reps]]
        manager[workers] = boss
        mates = workers[active[workers] & has_calendar[workers]]
        for k, rep in enumerate(workers):
            others = mates[mates != rep]
            backup[rep] = others[(k + 1) % len(others)] if len(others) else boss

    # capacity: about the open load a rep carries, with head room that differs per rep
    share = np.array([TEAM_LOAD_SHARE[TEAMS[t]] for t in team])
    team_weight = np.array(
        [weight[(team == t) & active].sum() or 1.0 for t in range(len(TEAMS))], dtype=float
    )
    load = leads * ROUTED_SHARE * share / days * min(days, OPEN_DAYS) / team_weight[team]
    head_room = rng.choice([1.3, 1.6, 2.0], size=n)
    capacity = np.maximum(5, np.ceil(load * np.maximum(weight, 1.0) * head_room)).astype(int)

    names = [f"{FIRST_NAMES[f][0]} {LAST_NAMES[s][0]}" for f, s in zip(first, last, strict=True)]
    emails = [
        f"{FIRST_NAMES[f][1]}.{LAST_NAMES[s][1]}@{EMAIL_DOMAIN}".replace(" ", "")
        for f, s in zip(first, last, strict=True)
    ]
    slack = ["U0" + "".join(rng.choice(_SLACK_ALPHABET, size=7)) for _ in range(n)]

    start_day = datetime.fromtimestamp(span_start, UTC).date()
    end_day = datetime.fromtimestamp(cutoff, UTC).date()
    holiday_rows = _holiday_rows(range(start_day.year, (end_day + timedelta(days=90)).year + 1))
    by_calendar: dict[str, set[date]] = {}
    for code, day, _ in holiday_rows:
        by_calendar.setdefault(code, set()).add(day)
    patterns = [
        WorkPattern(
            zone[r],
            HOURS[hours[r]][0],
            HOURS[hours[r]][1],
            work_days[r],
            frozenset(by_calendar.get(calendar_code[r], ())),
        )
        if has_calendar[r]
        else None
        for r in range(n)
    ]
    calendar = WorkCalendar(patterns, start_day - timedelta(days=2), end_day + timedelta(days=60))

    time_off, time_off_table = _time_off(rng, zone, ~is_manager & has_calendar, start_day, days)

    reps_table = Table(
        name="sales_reps",
        data={
            "rep_num": np.arange(1, n + 1, dtype=np.int64),
            "full_name": np.array(names, dtype=object),
            "email": np.array(emails, dtype=object),
            "role": np.array(role, dtype=object),
            "team": team.astype(np.int32),
            "manager_num": np.where(manager == NULL, NULL, manager + 1),
            "backup_num": np.where(backup == NULL, NULL, backup + 1),
            "timezone": np.array(zone, dtype=object),
            "work_start_local": np.array([HOURS[h][0] for h in hours], dtype=object),
            "work_end_local": np.array([HOURS[h][1] for h in hours], dtype=object),
            "work_days": np.array(work_days, dtype=object),
            "holiday_calendar": np.array(calendar_code, dtype=object),
            "max_open_leads": capacity.astype(np.int32),
            "routing_weight": weight,
            "is_active": active.astype(np.int8),
            "slack_member_id": np.array(slack, dtype=object),
        },
        vocab={"team": TEAMS},
        flags=frozenset({"is_active"}),
        select=[
            "printf('R%03d', rep_num) as rep_id",
            "full_name as full_name",
            "email as email",
            "role as role",
            "team as team",
            "printf('R%03d', manager_num) as manager_id",
            "printf('R%03d', backup_num) as backup_rep_id",
            "timezone as timezone",
            "work_start_local as work_start_local",
            "work_end_local as work_end_local",
            "work_days as work_days",
            "holiday_calendar as holiday_calendar",
            "max_open_leads as max_open_leads",
            "routing_weight as routing_weight",
            "is_active as is_active",
            "slack_member_id as slack_member_id",
        ],
    )
    holidays_table = Table(
        name="holidays",
        data={
            "holiday_calendar": np.array([r[0] for r in holiday_rows], dtype=object),
            "holiday_date": np.array([r[1].isoformat() for r in holiday_rows], dtype=object),
            "holiday_name": np.array([r[2] for r in holiday_rows], dtype=object),
        },
        select=[
            "holiday_calendar as holiday_calendar",
            "holiday_date as holiday_date",
            "holiday_name as holiday_name",
        ],
    )
    return Reps(
        team=team,
        role=role,
        time_zone=zone,
        holiday_calendar=calendar_code,
        is_active=active,
        routing_weight=weight,
        manager=manager,
        backup=backup,
        has_calendar=has_calendar,
        calendar=calendar,
        time_off=time_off,
        tables=[reps_table, time_off_table, holidays_table],
    )


def _time_off(
    rng: np.random.Generator, zone: list[str], eligible: np.ndarray, start_day: date, days: int
) -> tuple[list[tuple[int, int, int]], Table]:
    """A few week-long absences and single days inside the span, plus one bad row."""
    reps = np.flatnonzero(eligible)
    weeks = min(12, max(2, round(days / 15)))
    singles = min(20, max(3, round(days / 10)))
    mondays = [
        start_day + timedelta(days=d)
        for d in range(max(days - 7, 1))
        if (start_day + timedelta(days=d)).weekday() == 0
    ] or [start_day]
    rows: list[tuple[int, int, int, str]] = []
    for k in range(weeks + singles):
        rep = int(reps[rng.integers(len(reps))])
        if k < weeks:
            first = mondays[int(rng.integers(len(mondays)))]
            length = 7
            reason = TIME_OFF_REASONS[int(rng.choice([0, 3], p=[0.8, 0.2]))]
        else:
            first = start_day + timedelta(days=int(rng.integers(days)))
            length = 1
            reason = TIME_OFF_REASONS[int(rng.choice([1, 2, 4], p=[0.5, 0.3, 0.2]))]
        starts = _local_midnight(first, zone[rep])
        ends = _local_midnight(first + timedelta(days=length), zone[rep])
        rows.append((rep, starts, ends, reason))
    rows.sort()
    clean = [(rep, s, e) for rep, s, e, _ in rows]
    # bad row: a time off that ends before it starts
    rep, s, _, reason = rows[int(rng.integers(len(rows)))]
    rows.append((rep, s, s - 86_400, reason))
    table = Table(
        name="rep_time_off",
        data={
            "rep_num": np.array([r[0] + 1 for r in rows], dtype=np.int64),
            "starts": np.array([r[1] for r in rows], dtype=np.int64),
            "ends": np.array([r[2] for r in rows], dtype=np.int64),
            "reason": np.array([r[3] for r in rows], dtype=object),
        },
        select=[
            "printf('R%03d', rep_num) as rep_id",
            f"{ts('starts')} as starts_at",
            f"{ts('ends')} as ends_at",
            "reason as reason",
        ],
    )
    return clean, table


def weighted_pick(rng: np.random.Generator, reps: Reps, team_of_lead: np.ndarray) -> np.ndarray:
    """A weighted round-robin-like pick of a rep for each lead of a team (NULL: no team)."""
    out = np.full(len(team_of_lead), NULL, dtype=np.int64)
    for t in range(len(TEAMS)):
        rows = np.flatnonzero(team_of_lead == t)
        pool = reps.routable(t)
        if rows.size == 0 or pool.size == 0:
            continue
        weights = reps.routing_weight[pool]
        out[rows] = pool[rng.choice(len(pool), size=rows.size, p=weights / weights.sum())]
    return out


def apply_time_off(reps: Reps, rep: np.ndarray, at: np.ndarray) -> np.ndarray:
    """A rep away at `at` is covered by their backup."""
    rep = rep.copy()
    for who, starts, ends in reps.time_off:
        away = (rep == who) & (at >= starts) & (at < ends)
        rep[away] = reps.backup[who]
    return rep
