"""Routing over many runs: fairness by weight, capacity, and a ledger that never moves.

One dbt build makes the warehouse from a synthetic raw set. The routing ledger's own compiled
SQL (the incremental `int_assignments_routed`, exactly what dbt appends on each run) is then
replayed with `as_of` advancing 1, 10 and 500 leads per run, as a schedule would.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import Isolated, write_csv
from handoff import settings
from handoff.build import dbt_executable, run_dbt_build
from handoff.load import load_directory

START = datetime(2026, 3, 2, 13, 0)
AS_OF_PLACEHOLDER = "2099-01-01 00:00:00"
WEIGHTS = {"N1": 1.0, "N2": 2.0, "N3": 3.0, "N0": 0.0}
EMEA_CAPACITY = 3
NA_LEADS = 300
EMEA_LEADS = 60
LEDGER = "intermediate.int_assignments_routed"

REP_COLUMNS = [
    "rep_id", "role", "team", "manager_id", "backup_rep_id", "timezone", "work_start_local",
    "work_end_local", "work_days", "holiday_calendar", "max_open_leads", "routing_weight",
    "is_active",
]  # fmt: skip


def rep(rep_id, team, weight=1.0, capacity=None, timezone="America/New_York"):
    return [
        rep_id, "sdr", team, "M1", None, timezone, "09:00", "17:00", "Mon,Tue,Wed,Thu,Fri",
        "US", capacity, weight, "true",
    ]  # fmt: skip


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_raw_set(folder: Path) -> None:
    """Tier-1 leads (a demo request each) for two teams; half the EMEA leads close quickly."""
    reps = [rep(rep_id, "north_america", weight) for rep_id, weight in WEIGHTS.items()]
    reps += [
        rep("E1", "emea", 1.0, EMEA_CAPACITY, "Europe/London"),
        rep("E2", "emea", 1.0, EMEA_CAPACITY, "Europe/London"),
        rep("X1", "enterprise"),
        rep("X2", "apac", timezone="Asia/Singapore"),
        rep("X3", "inbound"),
        ["M1", "manager", "inbound", None, None, "America/New_York", "09:00", "17:00",
         "Mon,Tue,Wed,Thu,Fri", "US", None, 0, "true"],
    ]  # fmt: skip
    write_csv(folder / "sales_reps.csv", REP_COLUMNS, reps)

    leads, events, dispositions = [], [], []
    for number in range(NA_LEADS + EMEA_LEADS):
        lead_id = f"L{number:05d}"
        created = START + timedelta(minutes=7 * number)
        country = "US" if number < NA_LEADS else "GB"
        leads.append(
            [lead_id, stamp(created), "VP of Sales", f"co{number}.com", country, 60, 5_000_000]
        )
        handoff = created + timedelta(minutes=1)
        events.append([f"E{number:05d}", lead_id, stamp(handoff), "demo_request"])
        if country == "GB" and number % 2 == 0:
            closed = handoff + timedelta(minutes=30)
            dispositions.append([f"D{number:05d}", lead_id, stamp(closed), "rejected", "no_budget"])
    write_csv(
        folder / "leads.csv",
        ["lead_id", "created_at", "job_title", "company_domain", "country_code",
         "employee_count", "annual_revenue_usd"],
        leads,
    )  # fmt: skip
    write_csv(
        folder / "marketing_events.csv",
        ["event_id", "lead_id", "occurred_at", "event_type"],
        events,
    )
    write_csv(
        folder / "lead_dispositions.csv",
        ["disposition_id", "lead_id", "disposed_at", "status", "rejection_reason"],
        dispositions,
    )


@pytest.fixture(scope="module")
def routed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A built warehouse plus the ledger model's compiled incremental SQL."""
    root = tmp_path_factory.mktemp("routing")
    env = Isolated(root, root / "handoff.duckdb", root / "target", root / "logs")
    patch = pytest.MonkeyPatch()
    patch.setenv("HANDOFF_DUCKDB_PATH", str(env.warehouse))
    patch.setenv("DBT_TARGET_PATH", str(env.target))
    patch.setenv("DBT_LOG_PATH", str(env.logs))
    patch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
    patch.delenv("HANDOFF_TARGET", raising=False)
    try:
        write_raw_set(root / "raw")
        load_directory(root / "raw", env.warehouse)
        final_as_of = stamp(START + timedelta(days=10))
        assert run_dbt_build(final_as_of, dbt_args=["--quiet"], database=env.warehouse) == 0
        compile_command = [
            dbt_executable(), "compile", "--quiet", "--select", "int_assignments_routed",
            "--vars", f"{{as_of: '{AS_OF_PLACEHOLDER}'}}",
        ]  # fmt: skip
        subprocess.run(
            compile_command, cwd=settings.PROJECT_DIR, env=settings.dbt_environment(), check=True
        )
        compiled = next(env.target.rglob("compiled/**/int_assignments_routed.sql")).read_text()
        assert "from " in compiled and AS_OF_PLACEHOLDER in compiled
        yield {"env": env, "sql": compiled, "as_of": final_as_of}
    finally:
        patch.undo()


def handoffs(connection: duckdb.DuckDBPyConnection) -> list[datetime]:
    return [
        row[0]
        for row in connection.execute(
            "select handoff_at from marts.leads where handoff_at is not null order by handoff_at"
        ).fetchall()
    ]


def replay(warehouse: Path, sql: str, leads_per_run: int, final_as_of: str) -> list[tuple]:
    """Empty the ledger, then append run after run, each seeing `leads_per_run` new handoffs."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(f"delete from {LEDGER}")
        moments = handoffs(connection)
        run_as_ofs = [stamp(moment) for moment in moments[leads_per_run - 1 :: leads_per_run]]
        # waiting leads (a full rep) are retried by the runs that follow, as on a schedule
        run_as_ofs += [final_as_of] * 3
        for as_of in run_as_ofs:
            connection.execute(f"insert into {LEDGER} " + sql.replace(AS_OF_PLACEHOLDER, as_of))
        return connection.execute(
            f"select lead_id, rep_id, team, assigned_at from {LEDGER} order by assigned_at"
        ).fetchall()


def open_leads_at_each_assignment(warehouse: Path) -> list[tuple[str, int, int]]:
    """(rep, open leads including the new one, capacity) at every EMEA assignment."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            f"""
            with closures as (
                select lead_id, min(disposed_at) as closed_at
                from staging.stg_crm__lead_dispositions
                where status = 'rejected'
                group by lead_id
            ),
            ledger as (
                select ledger.rep_id, ledger.lead_id, ledger.assigned_at,
                    coalesce(closures.closed_at, ledger.assigned_at + interval 30 day)
                        as released_at
                from {LEDGER} as ledger
                left join closures on ledger.lead_id = closures.lead_id
                where ledger.team = 'emea'
            )
            select new.rep_id, count(*) as open_leads, any_value(reps.max_open_leads)
            from ledger as new
            join ledger as held
                on held.rep_id = new.rep_id
                and held.assigned_at <= new.assigned_at
                and held.released_at > new.assigned_at
            join staging.stg_crm__sales_reps as reps on reps.rep_id = new.rep_id
            group by new.rep_id, new.lead_id
            """
        ).fetchall()


@pytest.mark.dbt
@pytest.mark.parametrize("leads_per_run", [1, 10, 500])
def test_shares_track_weights_and_capacity_holds_whatever_the_run_size(
    routed_warehouse: dict, leads_per_run: int
):
    env = routed_warehouse["env"]
    ledger = replay(
        env.warehouse, routed_warehouse["sql"], leads_per_run, routed_warehouse["as_of"]
    )

    assert len({lead for lead, *_ in ledger}) == len(ledger) == NA_LEADS + EMEA_LEADS
    north_america = [rep_id for _, rep_id, team, _ in ledger if team == "north_america"]
    total_weight = sum(WEIGHTS.values())
    for rep_id, weight in WEIGHTS.items():
        share = north_america.count(rep_id) / len(north_america)
        assert share == pytest.approx(weight / total_weight, abs=0.02), (rep_id, share)

    over_capacity = [row for row in open_leads_at_each_assignment(env.warehouse) if row[1] > row[2]]
    assert over_capacity == []
    emea_reps = {rep_id for _, rep_id, team, _ in ledger if team == "emea"}
    assert emea_reps == {"E1", "E2"}


@pytest.mark.dbt
def test_runs_only_append_and_a_rebuild_reproduces_the_ledger(routed_warehouse: dict):
    env = routed_warehouse["env"]
    columns = "assignment_id, lead_id, rep_id, team, assigned_at, assignment_type, routing_reason"

    def ledger_rows() -> set[tuple]:
        with duckdb.connect(str(env.warehouse), read_only=True) as connection:
            return set(connection.execute(f"select {columns} from {LEDGER}").fetchall())

    def build(*flags: str) -> set[tuple]:
        as_of = routed_warehouse["as_of"]
        assert (
            run_dbt_build(as_of, ["int_assignments_routed"], ["--quiet", *flags], env.warehouse)
            == 0
        )
        return ledger_rows()

    rebuilt = build("--full-refresh")
    # leads that waited for a full rep are appended by the next runs; nothing is rewritten
    ledger = build()
    assert rebuilt <= ledger
    assert len(ledger) == NA_LEADS + EMEA_LEADS
    assert build() == ledger
    assert build("--full-refresh") == rebuilt
