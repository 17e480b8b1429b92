"""`handoff demo`: generate -> load -> plan -> respond -> build -> deliver -> a readable summary.

Everything lands in one demo folder (default data/demo): `raw/` (generated files),
`handoff.duckdb` (a fresh warehouse), `deliveries/` (local file sinks), `reports/`. The
summary reads the contract's marts by their contract column names; a mart that is not built
yet is one line.

The reps respond to what the warehouse handed them, in two passes, as in the real world:
1. the generated data set is loaded and the warehouse builds qualification, routing and SLA
   deadlines only (`PLAN_SELECTION`: no data tests, and not the append-only escalation
   ledger, which would record escalations of leads nobody has had a chance to touch yet);
2. the handoff plan (per handed-off lead: tier, handoff_at, SLA rep, sla_due_at, the
   deadline's clock; the escalation windows of seed escalation_policies) is read from it and
   the generator writes the sales side again as the reps' response to that plan
   (`handoff_datagen.respond`: the SLA rep touches the lead at a fraction of its own window),
   which replaces those raw tables; then the full build runs.
So the SLA numbers the demo prints are the ones `handoff_datagen.behaviour` promises: most
teams inside their bands, one slow team, a few slow reps. (`handoff generate` alone, without
a warehouse, writes a coherent data set whose response times are only approximate.)
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from handoff import schemas, settings, summary, team_summary
from handoff.as_of import now_as_of
from handoff.build import run_dbt_build
from handoff.contract import raw_tables
from handoff.datagen import generator
from handoff.delivery import deliver, load_config
from handoff.delivery.log import restore_log, save_log
from handoff.delivery.messages import message_for, utc_now
from handoff.delivery.summary import print_report
from handoff.load import FORMATS, load
from handoff.warehouse import HandoffError, connect, relation_exists

DEFAULT_DEMO_DIR = settings.DATA_DIR / "demo"
STAGES = ("unqualified", "mql", "sql")
SLA_STATUSES = ("met", "breached", "pending")
# pass 1: what the reps need to know (lead_sla: tiers, routing, deadlines) and the escalation
# windows; data tests run once, in the full build
PLAN_SELECTION = ("+lead_sla", "escalation_policies")
PLAN_DBT_ARGS = ("--quiet", "--exclude-resource-type", "test")


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def response(self) -> Path:
        """The second pass's files before they replace their namesakes in raw/."""
        return self.root / "response"

    @property
    def warehouse(self) -> Path:
        return self.root / "handoff.duckdb"

    @property
    def deliveries(self) -> Path:
        return self.root / "deliveries"

    @property
    def saved_log(self) -> Path:
        return self.root / "delivery_log.parquet"


@dataclass(frozen=True)
class DataSet:
    """The generator's arguments: the second pass must rebuild exactly the same world."""

    leads: int
    days: int
    seed: int
    end_date: date


def run_demo(
    console: Console,
    leads: int,
    days: int,
    seed: int,
    out_dir: Path | None = None,
) -> int:
    """The whole demo; returns the exit code (dbt's when a build fails)."""
    paths = DemoPaths((out_dir or DEFAULT_DEMO_DIR).resolve())
    as_of = now_as_of()
    data = DataSet(leads, days, seed, datetime.now(UTC).date())
    started = time.monotonic()

    build_two_passes(console, paths, data, as_of)

    step(console, 5, f"dbt build with as_of = {as_of} UTC")
    run_started = time.time()
    with console.status("dbt build (seeds, models, tests); only errors are shown"):
        exit_code = run_dbt_build(as_of=as_of, dbt_args=["--quiet"], database=paths.warehouse)
    console.print(f"  dbt exit code {exit_code} ({time.time() - run_started:.0f} s)")

    step(console, 6, f"handoff deliver to the file target {paths.deliveries}")
    if exit_code == 0:
        deliver_demo(console, paths)
    else:
        console.print("  skipped: the build failed")

    step(console, 7, "write the monthly report")
    report = write_demo_report(console, paths, exit_code)

    print_handoff_summary(console, paths.warehouse)
    target = summary.target_dir()
    summary.print_run_results(console, target, not_before=run_started)
    print_where_things_are(console, paths, target, report)
    console.print(f"Demo took {time.monotonic() - started:.0f} s.")
    return exit_code


def build_two_passes(console: Console, paths: DemoPaths, data: DataSet, as_of: str) -> int:
    """Steps 1-4: generate, load, build the plan, let the reps respond to it; the plan
    build's exit code (the response is skipped when it failed)."""
    step(console, 1, f"generate {data.leads:,} leads over {data.days} days ending {data.end_date}")
    generate_raw(console, paths, data)
    step(console, 2, f"load into a fresh warehouse {paths.warehouse}")
    load_fresh(console, paths)
    step(console, 3, f"build the handoff plan (tiers, routing, deadlines) with as_of = {as_of} UTC")
    exit_code = build_plan(console, paths, as_of)
    step(console, 4, "the reps respond to what the warehouse handed them")
    if exit_code == 0:
        respond_to_plan(console, paths, data)
    else:
        console.print("  skipped: the plan build failed")
    return exit_code


def generate_raw(console: Console, paths: DemoPaths, data: DataSet) -> None:
    """The generated data set into raw/ (parquet), replacing an earlier demo's files."""
    generate = generator()
    _clear_raw_files(paths.raw)
    clock = time.monotonic()
    try:
        rows = generate(
            out_dir=paths.raw,
            leads=data.leads,
            days=data.days,
            seed=data.seed,
            end_date=data.end_date,
            file_format="parquet",
        )
    except ValueError as error:
        raise HandoffError(str(error)) from error
    console.print(
        f"  {sum(rows.values()):,} rows in {len(rows)} tables -> {paths.raw} "
        f"({time.monotonic() - clock:.1f} s)"
    )


def load_fresh(console: Console, paths: DemoPaths) -> None:
    """raw/ into a new warehouse file; the delivery log of an earlier demo survives it."""
    # what was delivered survives the fresh warehouse: a second demo sends nothing again
    kept_log = save_log(paths.warehouse, paths.saved_log)
    for stale in (paths.warehouse, paths.warehouse.with_name(paths.warehouse.name + ".wal")):
        stale.unlink(missing_ok=True)
    clock = time.monotonic()
    result = load(paths.raw, paths.warehouse)
    if kept_log:
        restore_log(paths.warehouse, paths.saved_log)
    console.print(
        f"  {sum(result.rows.values()):,} rows into {len(result.rows)} raw tables "
        f"({time.monotonic() - clock:.1f} s)"
    )


def build_plan(console: Console, paths: DemoPaths, as_of: str) -> int:
    """Pass 1: the models the reps' response depends on (`PLAN_SELECTION`); dbt's exit code."""
    clock = time.monotonic()
    with console.status("dbt build of the handoff plan; only errors are shown"):
        exit_code = run_dbt_build(
            as_of=as_of,
            select=PLAN_SELECTION,
            dbt_args=list(PLAN_DBT_ARGS),
            database=paths.warehouse,
        )
    console.print(f"  dbt exit code {exit_code} ({time.monotonic() - clock:.0f} s)")
    return exit_code


def respond_to_plan(console: Console, paths: DemoPaths, data: DataSet) -> None:
    """Pass 2: the reps' response to the plan replaces the sales side of raw/ and the warehouse."""
    from handoff_datagen import respond

    plan = read_plan(paths.warehouse)
    unowned = int((~plan.is_owned).sum())
    clock = time.monotonic()
    _clear_raw_files(paths.response)
    rows = respond(
        paths.response,
        plan,
        leads=data.leads,
        days=data.days,
        seed=data.seed,
        end_date=data.end_date,
        file_format="parquet",
    )
    # a deliberate replace of the first pass's tables: the volume guard may not veto it
    load(paths.response, paths.warehouse, force=True)
    for name in rows:  # raw/ stays the data set the warehouse holds
        os.replace(paths.response / f"{name}.parquet", paths.raw / f"{name}.parquet")
    console.print(
        f"  {plan.lead.size:,} handed-off leads ({unowned:,} without an owner: nobody answers "
        f"them); {sum(rows.values()):,} rows of "
        f"{', '.join(rows)} replaced ({time.monotonic() - clock:.1f} s)"
    )


def read_plan(database: Path):
    """The handoff plan from `lead_sla` and the escalation windows from the rules schema."""
    from handoff_datagen import HandoffPlan, Window

    lead_sla = schemas.relation(schemas.MARTS, "lead_sla")
    policies = schemas.relation(schemas.RULES, "escalation_policies")
    with connect(database, read_only=True) as connection:
        plan = connection.execute(
            f"""
            select
                lead_id,
                priority_tier,
                cast(epoch(handoff_at) as bigint) as handoff_epoch,
                sla_rep_id,
                cast(epoch(sla_due_at) as bigint) as due_epoch,
                sla_policy_clock
            from {lead_sla}
            order by lead_id
            """
        ).fetchnumpy()
        windows = connection.execute(
            f"select escalation_level, priority_tier, in_hours_business_minutes, "
            f"off_hours_calendar_minutes from {policies}"
        ).fetchall()
    return HandoffPlan.from_columns(
        lead_id=plan["lead_id"],
        priority_tier=plan["priority_tier"],
        handoff_at=plan["handoff_epoch"],
        sla_rep_id=plan["sla_rep_id"],
        sla_due_at=plan["due_epoch"],
        sla_policy_clock=plan["sla_policy_clock"],
        windows={
            (int(level), int(tier)): Window(int(business), None if off is None else int(off))
            for level, tier, business, off in windows
        },
    )


def print_where_things_are(
    console: Console, paths: DemoPaths, target: Path, report: Path | None
) -> None:
    console.rule("[bold]Where things are")
    for label, path in (
        ("raw files", paths.raw),
        ("warehouse", paths.warehouse),
        ("dbt target", target),
        ("deliveries", paths.deliveries),
        ("report", report or "not written"),
    ):
        console.print(f"  {label:<11} {path}", soft_wrap=True)
    console.print(
        f"  explore     HANDOFF_DUCKDB_PATH={paths.warehouse} handoff dev", soft_wrap=True
    )
    console.print(
        f"  dbt docs    HANDOFF_DUCKDB_PATH={paths.warehouse} dbt docs generate && dbt docs serve",
        soft_wrap=True,
    )


def deliver_demo(console: Console, paths: DemoPaths) -> None:
    """`handoff deliver` with the file target only, into the demo folder; then one sample alert."""
    config = load_config()
    files = {
        name: target.model_copy(update={"directory": str(paths.deliveries), "enabled": True})
        for name, target in config.targets.items()
        if target.type == "file"
    }
    report = deliver(paths.warehouse, config.model_copy(update={"targets": files}), {})
    print_report(console, report)
    for feed in report.feeds:
        sink = paths.deliveries / f"{feed}.jsonl"
        with sink.open() if sink.exists() else open(os.devnull) as lines:
            total = sum(1 for _ in lines)
        console.print(f"  {feed}: {total:,} rows in all -> {sink}", soft_wrap=True)
    sample = sample_alert(paths.warehouse)
    if sample:
        console.print("[bold]What a rep reads[/] (one alert, as Slack, email and push word it):")
        console.print(escape(sample), soft_wrap=True)


def sample_alert(database: Path) -> str | None:
    with connect(database, read_only=True) as connection:
        cursor = connection.execute(
            f"select * from {schemas.relation(schemas.MARTS, 'sla_alerts')} "
            "order by priority_tier nulls last, event_at desc limit 1"
        )
        columns = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    return message_for(dict(zip(columns, row, strict=True)), utc_now()).text if row else None


def write_demo_report(console: Console, paths: DemoPaths, exit_code: int) -> Path | None:
    """The monthly report of the latest complete month into <demo>/reports; its path."""
    if exit_code != 0:
        console.print("  skipped: the build failed")
        return None
    from handoff.report import write_report

    result = write_report(paths.warehouse, directory=paths.root / "reports")
    console.print(f"  {result.month:%B %Y} -> {result.path}", soft_wrap=True)
    return result.path


def step(console: Console, number: int, text: str) -> None:
    console.rule(f"[bold]{number}. {text}", align="left")


def _clear_raw_files(raw_dir: Path) -> None:
    """Remove contract data files left by an earlier demo (a format change would clash)."""
    if not raw_dir.is_dir():
        return
    tables = set(raw_tables())
    for path in raw_dir.iterdir():
        if path.is_file() and path.stem in tables and path.suffix.lower() in FORMATS:
            path.unlink()


# ---------------------------------------------------------------------------------------------
# the handoff summary (marts read by their contract column names)


def print_handoff_summary(console: Console, database: Path) -> None:
    console.rule("[bold]The handoff")
    summary.guarded(console, "leads", lambda: print_leads(console, database))
    summary.guarded(console, "lead_sla", lambda: print_sla(console, database))
    team_summary.print_team(console, database)
    summary.guarded(
        console, "quarantine", lambda: summary.print_quarantine(console, database, limit=8)
    )


def _query(database: Path, mart: str, sql: str) -> list[tuple] | None:
    """Rows of `sql`, whose `{mart}` names the mart's relation; None when it is not built."""
    with connect(database, read_only=True) as connection:
        if not relation_exists(connection, summary.marts_schema(), mart):
            return None
        return connection.execute(sql.format(mart=schemas.relation(schemas.MARTS, mart))).fetchall()


def _tier_label(tier) -> str:
    return "no tier" if tier is None else f"tier {tier}"


def _ordered(values, known: tuple) -> list:
    """Known values in their natural order, then any others alphabetically."""
    present = set(values)
    rest = sorted((value for value in present if value not in known), key=str)
    return [value for value in known if value in present] + rest


def print_leads(console: Console, database: Path) -> None:
    rows = _query(
        database,
        "leads",
        "select priority_tier, qualification_stage, coalesce(is_disqualified, false), count(*) "
        "from {mart} group by all",
    )
    if rows is None:
        console.print(f"{schemas.relation(schemas.MARTS, 'leads')} is not built yet.")
        return
    tiers = sorted({row[0] for row in rows}, key=lambda tier: (tier is None, str(tier)))
    counts: dict[tuple, int] = {}
    for tier, stage, disqualified, count in rows:
        key = ("disqualified" if disqualified else stage, tier)
        counts[key] = counts.get(key, 0) + count
    stages = _ordered([key[0] for key in counts if key[0] != "disqualified"], STAGES)
    console.print(
        f"[bold]Leads by qualification stage and priority tier[/] ({sum(counts.values()):,} leads)"
    )
    table = Table()
    table.add_column("stage")
    for tier in tiers:
        table.add_column(_tier_label(tier), justify="right")
    table.add_column("total", justify="right", style="bold")
    for stage in [*stages, "disqualified"]:
        cells = [counts.get((stage, tier), 0) for tier in tiers]
        if stage == "disqualified" and not any(cells):
            continue
        table.add_row(str(stage), *(f"{cell:,}" for cell in cells), f"{sum(cells):,}")
    console.print(table)


def print_sla(console: Console, database: Path) -> None:
    rows = _query(
        database,
        "lead_sla",
        "select priority_tier, sla_status, count(*), "
        "count(*) filter (where first_valid_touch_at is null) "
        "from {mart} group by all",
    )
    if rows is None:
        console.print(f"{schemas.relation(schemas.MARTS, 'lead_sla')} is not built yet.")
        return
    if not rows:
        console.print("SLA: no lead has been handed off yet.")
        return
    tiers = sorted({row[0] for row in rows}, key=lambda tier: (tier is None, str(tier)))
    statuses = _ordered([row[1] for row in rows], SLA_STATUSES)
    counts = {(row[0], row[1]): row[2] for row in rows}
    console.print("[bold]SLA by priority tier")
    table = Table()
    table.add_column("tier")
    for status in statuses:
        table.add_column(str(status), justify="right")
    table.add_column("met of decided", justify="right")
    for tier in tiers:
        met = counts.get((tier, "met"), 0)
        decided = met + counts.get((tier, "breached"), 0)
        share = f"{met / decided:.0%}" if decided else "-"
        table.add_row(
            _tier_label(tier), *(f"{counts.get((tier, s), 0):,}" for s in statuses), share
        )
    console.print(table)
    breached = sum(row[2] for row in rows if row[1] == "breached")
    untouched = sum(row[3] for row in rows if row[1] == "breached")
    console.print(
        f"Current breaches: [bold red]{breached:,}[/] "
        f"({untouched:,} still without a valid first touch)"
    )
