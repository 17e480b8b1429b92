"""`handoff_datagen`: contract shape, determinism, referential sanity, bad rows, realism.

Small data sets (a few hundred leads) for shape and bad rows; one larger set (20,000 leads,
about a second) for the statistical properties (heavy-tailed response times, conversion
falling with response time). Every assertion reads the written files back with DuckDB.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from handoff.contract import raw_tables
from handoff_datagen import generate, span
from handoff_datagen.vocab import (
    EVENT_TYPES,
    GARBAGE_TIMESTAMPS,
    INTENT_EVENT_TYPES,
    TEAMS,
    UNKNOWN_TIME_ZONE,
)

END = date(2026, 3, 20)
SMALL = {"leads": 400, "days": 30, "seed": 42, "end_date": END}
CALENDARS = {"US", "GB", "DE", "IL", "IN", "AU", "SG", "IE"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INTENT = "('" + "', '".join(INTENT_EVENT_TYPES) + "')"
PERSONAL = "('gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com')"
COMPETITORS = "('rivalcrm.com', 'leadzilla.io', 'pipeforce.com')"
UNSERVED = "('RU', 'IR', 'KP', 'CU', 'SY', 'BY')"
# the contract's default valid first touch (docs/contract.md, section 3)
VALID_TOUCH = """
    a.direction = 'outbound' and (
        (a.channel = 'email' and a.is_personalized and not a.is_automated)
        or (a.channel = 'call' and a.call_outcome in ('connected', 'voicemail'))
        or (a.channel = 'linkedin' and a.is_personalized)
        or a.channel = 'meeting')
"""


class Raw:
    """A generated folder, one DuckDB view per contract table."""

    def __init__(self, folder: Path, file_format: str, rows: dict[str, int]):
        self.folder, self.file_format, self.rows = folder, file_format, rows
        self.db = duckdb.connect()
        for table in raw_tables():
            path = folder / f"{table}.{file_format}"
            reader = (
                f"read_parquet('{path}')"
                if file_format == "parquet"
                else f"read_csv('{path}', header = true, all_varchar = true)"
            )
            self.db.execute(f"create view {table} as select * from {reader}")

    def all(self, sql: str) -> list[tuple]:
        return self.db.execute(sql).fetchall()

    def one(self, sql: str) -> tuple:
        return self.db.execute(sql).fetchone()

    def scalar(self, sql: str):
        return self.one(sql)[0]

    def types(self, table: str) -> dict[str, str]:
        return {row[0]: row[1] for row in self.all(f"describe {table}")}


def _generate(folder: Path, file_format: str = "parquet", **arguments) -> Raw:
    rows = generate(folder, file_format=file_format, **{**SMALL, **arguments})
    return Raw(folder, file_format, rows)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Raw:
    return _generate(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Raw:
    return _generate(tmp_path_factory.mktemp("small_csv"), "csv")


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Raw:
    return _generate(tmp_path_factory.mktemp("large"), leads=20_000, days=60, seed=7)


# --- contract shape ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["small", "small_csv"])
def test_one_file_per_contract_table_with_exactly_the_contract_columns(fixture, request):
    raw: Raw = request.getfixturevalue(fixture)
    contract = raw_tables()
    assert list(raw.rows) == list(contract)
    written = sorted(p.name for p in raw.folder.iterdir())
    assert written == sorted(f"{table}.{raw.file_format}" for table in contract)
    for table, spec in contract.items():
        assert tuple(raw.types(table)) == spec.columns, table
        assert raw.scalar(f"select count(*) from {table}") == raw.rows[table] > 0, table


def test_times_are_crm_style_text_and_other_columns_have_their_declared_type(small):
    declared = {"integer": "INTEGER", "double": "DOUBLE", "boolean": "BOOLEAN"}
    for table, spec in raw_tables().items():
        types = small.types(table)
        for column in spec.columns:
            if column.endswith(("_at", "_date")):
                assert types[column] == "VARCHAR", (table, column)
                shape = TIMESTAMP if column.endswith("_at") else DATE
                values = small.all(f"select distinct {column} from {table} where {column} <> ''")
                odd = [v for (v,) in values if not shape.match(v) and v not in GARBAGE_TIMESTAMPS]
                assert not odd, (table, column, odd[:3])
            elif spec.data_types[column] in declared:
                assert types[column] == declared[spec.data_types[column]], (table, column)


def test_parquet_and_csv_hold_the_same_rows(small, small_csv):
    for table, spec in raw_tables().items():
        # doubles may print differently in CSV (1000.0 / 1000): compare every other column
        types = small.types(table)
        query = f"select {', '.join(c for c in spec.columns if types[c] != 'DOUBLE')} from {table}"
        parquet = [
            tuple(None if v is None else str(v).lower() for v in r) for r in small.all(query)
        ]
        csv = [tuple(None if v is None else v.lower() for v in r) for r in small_csv.all(query)]
        assert parquet == csv, table


# --- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_format", "leads"),
    [("parquet", 8000), ("csv", 300)],  # 8,000 leads: events span several row groups
)
def test_same_arguments_give_byte_identical_files(tmp_path, file_format, leads):
    arguments = {"leads": leads, "days": 30, "seed": 5, "end_date": END, "file_format": file_format}
    generate(tmp_path / "a", **arguments)
    generate(tmp_path / "b", **arguments)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_another_seed_or_end_date_gives_other_data(tmp_path):
    arguments = {"leads": 300, "days": 20, "end_date": END}
    generate(tmp_path / "a", seed=5, **arguments)
    generate(tmp_path / "b", seed=6, **arguments)
    generate(tmp_path / "c", seed=5, **{**arguments, "end_date": date(2026, 3, 21)})
    a, b, c = (_digests(tmp_path / name) for name in "abc")
    for table in ("leads.parquet", "marketing_events.parquet", "sales_activities.parquet"):
        assert a[table] != b[table]
        assert a[table] != c[table]


def test_rewriting_a_folder_in_another_format_leaves_one_file_per_table(tmp_path):
    generate(tmp_path, leads=50, days=5, seed=1, end_date=END, file_format="csv")
    generate(tmp_path, leads=50, days=5, seed=1, end_date=END, file_format="parquet")
    assert {p.suffix for p in tmp_path.iterdir()} == {".parquet"}
    assert len(list(tmp_path.iterdir())) == len(raw_tables())


def test_invalid_arguments_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="leads"):
        generate(tmp_path, leads=0)
    with pytest.raises(ValueError, match="days"):
        generate(tmp_path, days=0)
    with pytest.raises(ValueError, match="seed"):
        generate(tmp_path, seed=-1)
    with pytest.raises(ValueError, match="format"):
        generate(tmp_path, leads=10, file_format="xlsx")


def test_a_single_lead_over_a_single_day_still_fills_every_table(tmp_path):
    rows = generate(tmp_path, leads=1, days=1, seed=3, end_date="2026-03-20")
    assert list(rows) == list(raw_tables())
    assert rows["leads"] >= 1 and rows["marketing_events"] >= 1


def test_progress_is_reported_once_per_table(tmp_path):
    seen: list[tuple[str, int]] = []
    rows = generate(
        tmp_path, leads=50, days=5, end_date=END, progress=lambda t, n: seen.append((t, n))
    )
    assert sorted(seen) == sorted(rows.items())


# --- time --------------------------------------------------------------------------------------


def test_everything_happens_inside_the_span_and_events_follow_lead_creation(small):
    start, end = (datetime.fromtimestamp(t, UTC).replace(tzinfo=None) for t in span(END, 30))
    assert end == datetime(2026, 3, 20)
    for table, column in [
        ("leads", "created_at"),
        ("lead_enrichment", "enriched_at"),
        ("marketing_events", "occurred_at"),
        ("sales_activities", "occurred_at"),
        ("lead_acknowledgements", "acknowledged_at"),
        ("lead_dispositions", "disposed_at"),
        ("opportunities", "created_at"),
    ]:
        low, high = small.one(
            f"select min(try_cast({column} as timestamp)), max(try_cast({column} as timestamp))"
            f" from {table}"
        )
        assert start <= low and high < end, table
    early = small.scalar(
        """
        select count(*) from marketing_events as e join leads as l using (lead_id)
        where try_cast(e.occurred_at as timestamp) < try_cast(l.created_at as timestamp)
        """
    )
    assert early == 0


# --- referential sanity and bad rows -------------------------------------------------------------


def test_clean_rows_reference_existing_leads_and_orphans_are_rare(small, large):
    for raw in (small, large):
        for table in ("marketing_events", "sales_activities", "lead_dispositions"):
            total, orphans = raw.one(
                f"""
                select count(*), count(*) filter (
                    where lead_id not in (select lead_id from leads where lead_id is not null))
                from {table} where lead_id is not null
                """
            )
            assert 0 < orphans <= max(1, 0.005 * total), (table, orphans, total)


BAD_ROWS = {
    "lead without id": "select count(*) from leads where lead_id is null",
    "lead without created_at": "select count(*) from leads where created_at is null",
    "unparseable created_at": """
        select count(*) from leads
        where created_at is not null and try_cast(created_at as timestamp) is null""",
    "older copy of a lead": """
        select count(*) from (
            select lead_id from leads where lead_id is not null
            group by 1 having count(*) > 1 and min(updated_at) < max(updated_at))""",
    "event without type": "select count(*) from marketing_events where event_type is null",
    "event without time": "select count(*) from marketing_events where occurred_at is null",
    "unparseable event time": """
        select count(*) from marketing_events
        where occurred_at in ('not a date', '2026-13-45 25:61:00')""",
    "repeated event_id": """
        select count(*) from (
            select event_id from marketing_events group by 1 having count(*) > 1)""",
    "form answer 'someday'": """
        select count(*) from marketing_events where form_timeline = 'someday'""",
    "activity channel 'fax'": "select count(*) from sales_activities where channel = 'fax'",
    "repeated activity_id": """
        select count(*) from (
            select activity_id from sales_activities group by 1 having count(*) > 1)""",
    "unparseable activity time": """
        select count(*) from sales_activities
        where occurred_at is not null and try_cast(occurred_at as timestamp) is null""",
    "status 'maybe'": "select count(*) from lead_dispositions where status = 'maybe'",
    "repeated disposition_id": """
        select count(*) from (
            select disposition_id from lead_dispositions group by 1 having count(*) > 1)""",
    "acknowledgement without rep": """
        select count(*) from lead_acknowledgements where rep_id is null""",
    "unparseable acknowledgement": """
        select count(*) from lead_acknowledgements
        where try_cast(acknowledged_at as timestamp) is null""",
    "enrichment without lead": "select count(*) from lead_enrichment where lead_id is null",
    "repeated opportunity_id": """
        select count(*) from (
            select opportunity_id from opportunities group by 1 having count(*) > 1)""",
    "account without id": "select count(*) from accounts where account_id is null",
    "repeated account_id": """
        select count(*) from (
            select account_id from accounts where account_id is not null
            group by 1 having count(*) > 1)""",
    "unknown time zone": f"select count(*) from sales_reps where timezone = '{UNKNOWN_TIME_ZONE}'",
    "time off ending before it starts": """
        select count(*) from rep_time_off
        where try_cast(ends_at as timestamp) < try_cast(starts_at as timestamp)""",
}


def test_every_kind_of_bad_row_is_present_in_a_small_share(small):
    counts = {name: small.scalar(sql) for name, sql in BAD_ROWS.items()}
    assert all(counts.values()), {name: n for name, n in counts.items() if not n}
    events = small.rows["marketing_events"]
    for name in ("event without type", "unparseable event time", "form answer 'someday'"):
        assert counts[name] <= 0.005 * events, name
    assert counts["unknown time zone"] == counts["time off ending before it starts"] == 1


def test_values_come_from_the_shared_vocabulary(small):
    events = {t for (t,) in small.all("select distinct event_type from marketing_events")}
    assert events - {None} <= set(EVENT_TYPES)
    assert {"page_view", "email_open", "form_submit", "demo_request"} <= events
    channels = {c for (c,) in small.all("select distinct channel from sales_activities")}
    assert channels == {"email", "call", "linkedin", "sms", "meeting", "fax"}
    timelines = {t for (t,) in small.all("select distinct form_timeline from marketing_events")}
    assert timelines == {None, "immediately", "this_quarter", "this_year", "no_plans", "someday"}


# --- the sales team and its calendar -------------------------------------------------------------


def test_rep_calendar_covers_the_hard_cases(small):
    reps = small.all(
        """
        select rep_id, role, team, manager_id, backup_rep_id, timezone, work_days,
            routing_weight, is_active, email, slack_member_id, holiday_calendar
        from sales_reps
        """
    )
    assert 30 <= len(reps) <= 40
    zones = {r[5] for r in reps if r[5] != UNKNOWN_TIME_ZONE}
    january, july = datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12)

    def minutes_ahead(zone: str, when: datetime) -> float:
        return when.replace(tzinfo=ZoneInfo(zone)).utcoffset().total_seconds() / 60

    assert any(minutes_ahead(z, january) % 60 == 30 for z in zones)  # a half-hour zone
    assert any(minutes_ahead(z, january) > minutes_ahead(z, july) for z in zones)  # south DST
    assert "Sun,Mon,Tue,Wed,Thu" in {r[6] for r in reps}
    assert {r[2] for r in reps} == set(TEAMS)
    assert {r[11] for r in reps} == CALENDARS
    by_id = {r[0]: r for r in reps}
    for rep_id, role, team, manager_id, backup, *_ in reps:
        if role == "manager":
            assert by_id[rep_id][7] == 0 and manager_id is None
            continue
        assert by_id[manager_id][1] == "manager" and by_id[manager_id][2] == team
        assert backup != rep_id and by_id[backup][2] == team
    assert sum(r[1] == "manager" for r in reps) == len(TEAMS)
    assert 1 <= sum(not r[8] for r in reps) <= 2
    assert sum(r[1] == "sdr" and r[7] == 0 for r in reps) == 1
    assert {r[1] for r in reps if r[2] == "enterprise"} == {"ae", "manager"}
    assert all(r[9].endswith("@example-corp.com") for r in reps)
    assert all(re.match(r"^U0[A-Z0-9]{7}$", r[10]) for r in reps)


def test_holidays_are_real_and_time_off_has_weeks_and_single_days(small):
    rows = small.all("select holiday_calendar, holiday_date, holiday_name from holidays")
    assert {r[0] for r in rows} == CALENDARS
    assert ("US", "2026-01-01", "New Year's Day") in rows
    assert ("IE", "2026-03-17", "Saint Patrick's Day") in rows
    absences = small.all(
        "select try_cast(starts_at as timestamp), try_cast(ends_at as timestamp) from rep_time_off"
    )
    days = {round((end - start).total_seconds() / 86400) for start, end in absences if end > start}
    assert {1, 7} <= days


# --- realism -------------------------------------------------------------------------------------


def test_leads_look_like_a_b2b_funnel(large):
    n = large.scalar("select count(*) from leads")

    def share(condition: str) -> float:
        return large.scalar(f"select count(*) from leads where {condition}") / n

    assert 0.05 < share(f"split_part(email, '@', 2) in {PERSONAL}") < 0.11
    assert 0.003 < share("email like '%.edu' or email like '%.ac.uk'") < 0.02
    assert 0.003 < share(f"split_part(email, '@', 2) in {COMPETITORS}") < 0.02
    assert 0.005 < share(f"country_code in {UNSERVED}") < 0.03
    assert 0.06 < share("industry is null") < 0.16
    assert share("job_title in ('Student', 'Intern', 'PhD Candidate')") > 0.005
    assert share("region is not null and country_code not in ('US', 'CA', 'AU', 'IN')") == 0
    assert 0.01 < share("company_domain in (select domain from accounts)") < 0.08
    assert 15 < large.scalar("select count(*) from marketing_events") / n < 25
    intent = large.scalar(
        f"select count(distinct lead_id) from marketing_events where event_type in {INTENT}"
    )
    assert 0.05 < intent / n < 0.11
    median, p99 = large.one(
        """
        select median(c), quantile_cont(c, 0.99)
        from (select count(*) as c from marketing_events group by lead_id)
        """
    )
    assert p99 > 5 * median  # heavy-tailed engagement
    assert 0.6 < large.scalar("select count(distinct lead_id) from lead_enrichment") / n < 0.8


def test_engaged_leads_show_bursts_of_events(large):
    bursts = large.scalar(
        """
        select count(distinct lead_id) from (
            select lead_id, try_cast(occurred_at as timestamp) as occurred,
                lead(try_cast(occurred_at as timestamp), 3) over (
                    partition by lead_id order by try_cast(occurred_at as timestamp)) as fourth
            from marketing_events
        ) where fourth - occurred <= interval 1 hour
        """
    )
    assert bursts > 0.2 * large.scalar("select count(*) from leads")


def _responses(raw: Raw) -> list[tuple]:
    """Per intent lead: minutes from its first intent event to the first human outbound
    touch and to the first valid touch, and whether it has an opportunity."""
    return raw.all(
        f"""
        with hot as (
            select lead_id, min(try_cast(occurred_at as timestamp)) as hot_at
            from marketing_events
            where event_type in {INTENT} and lead_id in (select lead_id from leads)
            group by 1
        ),
        touches as (
            select h.lead_id, h.hot_at,
                min(try_cast(a.occurred_at as timestamp)) filter (
                    where a.direction = 'outbound' and not a.is_automated) as first_touch,
                min(try_cast(a.occurred_at as timestamp)) filter (
                    where {VALID_TOUCH}) as first_valid
            from hot as h
            left join sales_activities as a
                on a.lead_id = h.lead_id and try_cast(a.occurred_at as timestamp) >= h.hot_at
            group by 1, 2
        )
        select
            date_diff('second', hot_at, first_touch) / 60.0,
            date_diff('second', hot_at, first_valid) / 60.0,
            lead_id in (select lead_id from opportunities where lead_id is not null)
        from touches
        """
    )


def test_response_times_are_heavy_tailed_with_a_sizeable_never_touched_share(large):
    rows = _responses(large)
    assert len(rows) > 800
    minutes = sorted(r[0] for r in rows if r[0] is not None)
    assert 0.25 <= 1 - len(minutes) / len(rows) <= 0.45  # never touched
    median, p90 = minutes[len(minutes) // 2], minutes[int(len(minutes) * 0.9)]
    assert 5 <= median <= 6 * 60  # calendar minutes: leads hot at night wait for the morning
    assert p90 > 5 * median
    assert minutes[-1] > 3 * 24 * 60  # a tail into days
    assert sum(m <= 5 for m in minutes) > 0.03 * len(minutes)  # some reps answer at once


def test_conversion_falls_as_response_time_grows(large):
    rows = _responses(large)
    fast = [converted for _, valid, converted in rows if valid is not None and valid <= 30]
    slow = [converted for _, valid, converted in rows if valid is not None and valid > 24 * 60]
    assert len(fast) > 100 and len(slow) > 100
    fast_rate, slow_rate = sum(fast) / len(fast), sum(slow) / len(slow)
    assert fast_rate > 2.5 * slow_rate, (fast_rate, slow_rate)
    assert not any(converted for _, valid, converted in rows if valid is None)


def test_sales_outcomes_are_plausible(large):
    statuses = {s for (s,) in large.all("select distinct status from lead_dispositions")}
    assert {"working", "accepted", "rejected", "converted"} <= statuses
    reasons = {
        r
        for (r,) in large.all(
            "select distinct rejection_reason from lead_dispositions where status = 'rejected'"
        )
    }
    assert {"student", "competitor", "wrong_persona", "bad_data", "no_budget"} <= reasons
    assert not large.scalar(
        """
        select count(*) from lead_dispositions
        where status in ('accepted', 'working', 'converted') and rejection_reason is not null
        """
    )
    won, closed, without_lead = large.one(
        """
        select count(*) filter (where is_won), count(*) filter (where is_closed),
            count(*) filter (where lead_id is null)
        from opportunities
        """
    )
    assert 0 < won < closed and without_lead > 0
    assert not large.scalar("select count(*) from opportunities where is_won and not is_closed")
    acknowledged = large.scalar("select count(distinct lead_id) from lead_acknowledgements")
    touched = large.scalar(
        """
        select count(distinct lead_id) from sales_activities
        where direction = 'outbound' and not is_automated
        """
    )
    assert acknowledged > 0.8 * touched
