"""Read what a build left behind and show it: mart row counts, quarantine, dbt test results.

Reporting only: every number comes from a mart or from dbt's run_results.json, nothing is
decided here. Each section opens the warehouse read-only, queries and closes; a mart that does
not exist yet is one line saying so, never an error.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from handoff import schemas, settings
from handoff.warehouse import HandoffError, connect, relation_exists

QUARANTINE_RELATION = "quarantined_records"
# quarantined_records: one row per issue, with source_table, issue_action (row_excluded,
# value_dropped), issue_reason and issue_column.
TEST_STATUSES = ("pass", "warn", "fail", "error", "skipped")
NODE_STATUSES = ("success", "error", "skipped")


# ---------------------------------------------------------------------------------------------
# dbt artifacts


def target_dir(dbt_args: Sequence[str] = ()) -> Path:
    """dbt's target folder as dbt resolves it: --target-path, DBT_TARGET_PATH, or target/."""
    configured = os.environ.get("DBT_TARGET_PATH") or "target"
    args = list(dbt_args)
    for index, arg in enumerate(args):
        if arg == "--target-path" and index + 1 < len(args):
            configured = args[index + 1]
        elif arg.startswith("--target-path="):
            configured = arg.split("=", 1)[1]
    path = Path(configured)
    return path if path.is_absolute() else settings.PROJECT_DIR / path


@dataclass
class RunResults:
    tests: Counter[str] = field(default_factory=Counter)
    nodes: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, int | None]] = field(default_factory=list)
    elapsed_seconds: float | None = None


def read_run_results(target: Path, not_before: float | None = None) -> RunResults | None:
    """Counts by status from `target/run_results.json`; None if absent or older than the run."""
    path = target / "run_results.json"
    try:
        if not_before is not None and path.stat().st_mtime < not_before:
            return None
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    results = RunResults(elapsed_seconds=document.get("elapsed_time"))
    for result in document.get("results", []):
        unique_id = str(result.get("unique_id", ""))
        kind = unique_id.split(".", 1)[0]
        status = str(result.get("status", "unknown"))
        if kind in ("test", "unit_test"):
            results.tests[status] += 1
            if status in ("warn", "fail", "error"):
                results.problems.append((status, _test_name(unique_id), result.get("failures")))
        else:
            results.nodes[status] += 1
    return results


def _test_name(unique_id: str) -> str:
    """test.<package>.<name>.<hash> -> name; unit_test.<package>.<model>.<name> -> model::name."""
    parts = unique_id.split(".")
    if parts[0] == "unit_test" and len(parts) >= 4:
        return f"{parts[2]}::{parts[3]}"
    return parts[2] if len(parts) >= 3 else unique_id


# ---------------------------------------------------------------------------------------------
# warehouse queries (each: open read-only, query, close)


def marts_schema() -> str:
    """Where the marts are on the active target (`marts`, or a dev target's prefixed one)."""
    return schemas.active_target().schema_for(schemas.MARTS)


def mart_row_counts(database: Path) -> list[tuple[str, int]]:
    """Rows per table in the marts schema."""
    schema = marts_schema()
    with connect(database, read_only=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        ]
        counts = []
        for name in names:
            row = connection.execute(f'select count(*) from {schema}."{name}"').fetchone()
            counts.append((name, int(row[0]) if row else 0))
    return counts


@dataclass(frozen=True)
class QuarantineRow:
    effect: str  # row excluded / value dropped
    reason: str  # e.g. duplicate_key
    rows: int
    places: tuple[str, ...]  # table.column where it happened


def quarantine_reasons(database: Path, limit: int | None = None) -> list[QuarantineRow] | None:
    """quarantined_records by reason, most rows first; None if the model is not built."""
    with connect(database, read_only=True) as connection:
        if not relation_exists(connection, marts_schema(), QUARANTINE_RELATION):
            return None
        rows = connection.execute(
            f"""
            select
                replace(issue_action, '_', ' ') as effect,
                issue_reason,
                count(*) as row_count,
                list_sort(list(distinct
                    source_table || coalesce('.' || nullif(issue_column, ''), '')))
            from {schemas.relation(schemas.MARTS, QUARANTINE_RELATION)}
            group by all
            order by row_count desc, effect, issue_reason
            {f"limit {int(limit)}" if limit else ""}
            """
        ).fetchall()
    return [
        QuarantineRow(effect=str(effect), reason=str(reason), rows=int(count), places=tuple(places))
        for effect, reason, count, places in rows
    ]


# ---------------------------------------------------------------------------------------------
# rendering


def print_build_summary(
    console: Console,
    database: Path,
    target: Path,
    not_before: float | None = None,
) -> None:
    """Rows per mart, quarantine by reason, and dbt's test results."""
    console.rule("[bold]Build summary")
    if schemas.uses_embedded_duckdb():
        guarded(console, "marts", lambda: print_mart_counts(console, database))
        guarded(console, "quarantine", lambda: print_quarantine(console, database))
    else:
        console.print(
            f"Warehouse is HANDOFF_TARGET={schemas.target_name()}: "
            "row counts are shown for the embedded DuckDB only."
        )
    print_run_results(console, target, not_before)


def guarded(console: Console, what: str, section) -> None:
    """Run one summary section; a warehouse problem becomes one line, never a crash."""
    try:
        section()
    except HandoffError as error:
        console.print(f"[yellow]{what}: {error}")
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        console.print(f"[yellow]{what}: could not be read ({first})")


def print_mart_counts(console: Console, database: Path) -> None:
    counts = mart_row_counts(database)
    if not counts:
        console.print(f"No tables in schema {marts_schema()} yet.")
        return
    console.print(f"[bold]Rows per table in schema {marts_schema()}")
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts:
        table.add_row(name, f"{rows:,}")
    console.print(table)


def print_quarantine(console: Console, database: Path, limit: int | None = None) -> None:
    reasons = quarantine_reasons(database, limit=limit)
    if reasons is None:
        console.print(f"{schemas.relation(schemas.MARTS, QUARANTINE_RELATION)} is not built yet.")
        return
    if not reasons:
        console.print("Quarantine: no row quarantined, no value dropped.")
        return
    console.print("[bold]Quarantine by reason" + (f" (top {limit})" if limit else ""))
    table = Table()
    table.add_column("reason", no_wrap=True)
    table.add_column("effect", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    # what is left of the line after reason (<= 22), effect, rows and the borders
    table.add_column("where", overflow="ellipsis", no_wrap=True, max_width=console.width - 60)
    for row in reasons:
        places = ", ".join(row.places[:3]) + (", ..." if len(row.places) > 3 else "")
        table.add_row(row.reason, row.effect, f"{row.rows:,}", places)
    console.print(table)


def print_run_results(console: Console, target: Path, not_before: float | None = None) -> None:
    results = read_run_results(target, not_before)
    if results is None:
        console.print(f"No run results from this run in {target} (dbt stopped before writing).")
        return
    tests = ", ".join(f"{results.tests.get(status, 0)} {status}" for status in TEST_STATUSES)
    nodes = ", ".join(f"{results.nodes.get(status, 0)} {status}" for status in NODE_STATUSES)
    elapsed = f" in {results.elapsed_seconds:.1f} s" if results.elapsed_seconds else ""
    console.print(f"[bold]dbt results{elapsed}[/]")
    console.print(f"  data and unit tests: {tests}")
    console.print(f"  models, seeds, snapshots: {nodes}")
    if results.nodes.get("error") or results.nodes.get("skipped"):
        console.print(
            "  [yellow]some models did not build: tables above may be from an earlier build"
        )
    for status, name, failures in results.problems[:15]:
        colour = "yellow" if status == "warn" else "red"
        count = f" ({failures} failing rows)" if failures else ""
        console.print(f"  [{colour}]{status}[/] {name}{count}")
    if len(results.problems) > 15:
        console.print(f"  ... and {len(results.problems) - 15} more")


def print_route_preview(console: Console, preview, days: int) -> None:
    """What a candidate rules file changes: moves, then volumes per team and per rep."""
    console.rule("[bold]Routing preview")
    console.print(
        f"{preview.leads} leads handed off in the last {days} days: "
        f"[bold]{preview.moved_team}[/] would change team, [bold]{preview.moved_rep}[/] would "
        "change rep (round robin reshuffles reps inside a team too)."
    )
    teams = Table(title="Leads per team")
    for column in ("team", "today", "candidate", "change"):
        teams.add_column(column, justify="left" if column == "team" else "right")
    for team, before, after in preview.team_volumes:
        teams.add_row(team, str(before), str(after), f"{after - before:+d}")
    console.print(teams)
    reps = Table(title="Leads per rep")
    for column in ("team", "rep", "today", "candidate", "change"):
        reps.add_column(column, justify="left" if column in ("team", "rep") else "right")
    for team, rep_id, before, after in preview.rep_volumes:
        reps.add_row(team, rep_id, str(before), str(after), f"{after - before:+d}")
    console.print(reps)
    console.print(f"Leads that would move, one per line: {preview.diff_file}")
