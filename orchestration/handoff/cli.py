"""The `handoff` command line: generate, load, build, deliver, demo, dev.

User errors (bad folder, bad flag, warehouse in use) print one clear message and exit 1;
`build` exits with dbt's own code.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from handoff import schemas, settings, summary
from handoff.as_of import now_as_of, parse_as_of
from handoff.warehouse import HandoffError

app = typer.Typer(
    name="handoff",
    help="Marketing -> sales lead handoff on dbt + DuckDB: generate, load, build, deliver, demo, "
    "serve, dev.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold secrets from the environment
)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


class FileFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn expected failures into one red line and exit code 1, never a traceback."""
    try:
        yield
    except HandoffError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}")
        raise typer.Exit(1) from None
    except OSError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}")
        raise typer.Exit(1) from None


def as_of_option(text: str | None) -> str | None:
    """`--as-of`: 'now', or anything `handoff.as_of.parse_as_of` accepts; None when not given.

    'now' is a command-line word only: Dagster run config pins a timestamp or leaves it unset.
    """
    if text is None:
        return None
    if text.strip().lower() == "now":
        return now_as_of()
    return parse_as_of(text)


def print_rows(title: str, rows: dict[str, int]) -> None:
    console.print(f"[bold]{escape(title)}")
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in rows.items():
        table.add_row(name, f"{count:,}")
    table.add_row("[bold]total", f"[bold]{sum(rows.values()):,}")
    console.print(table)


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write one file per raw table to.")],
    leads: Annotated[int, typer.Option(min=1, help="Number of leads.")] = 5000,
    days: Annotated[int, typer.Option(min=1, help="Days of activity the data spans.")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 42,
    end: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Data ends at 00:00 UTC of this date, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    file_format: Annotated[
        FileFormat, typer.Option("--format", help="File format of the raw files.")
    ] = FileFormat.parquet,
) -> None:
    """Generate a realistic synthetic raw data set (one file per contract table)."""
    with user_errors():
        from handoff.datagen import generator

        generate_data = generator()
        started = time.monotonic()
        with console.status(f"Generating {leads:,} leads over {days} days") as status:

            def progress(table: str, rows: int) -> None:
                status.update(f"Generating: wrote {table} ({rows:,} rows)")

            try:
                rows = generate_data(
                    out_dir=out,
                    leads=leads,
                    days=days,
                    seed=seed,
                    end_date=end.date() if end else None,
                    file_format=file_format.value,
                    progress=progress,
                )
            except ValueError as error:
                raise HandoffError(str(error)) from error
        elapsed = time.monotonic() - started
    print_rows(f"Generated {file_format.value} files in {out}", rows)
    console.print(f"Took {elapsed:.1f} s.")


@app.command()
def load(
    directory: Annotated[
        Path, typer.Argument(help="Folder holding <table>.csv or <table>.parquet files.")
    ],
    append: Annotated[
        bool,
        typer.Option(
            "--append",
            help="Insert into existing tables instead of replacing; a file already loaded "
            "(same table and checksum) is skipped.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a table even with an empty file or fewer than half its rows.",
        ),
    ] = False,
) -> None:
    """Load a folder of raw files into schema raw of the warehouse (HANDOFF_DUCKDB_PATH).

    Every file is checked against the raw contract first; one bad file loads nothing. Refuses
    to shrink a raw table below half its rows unless --force. Every file is recorded in
    ops.loads.
    """
    from handoff.load import load as load_files

    database = settings.duckdb_path()
    with user_errors():
        started = time.monotonic()
        with console.status(f"Loading {directory} into {database}"):
            result = load_files(directory, database, append=append, force=force)
        elapsed = time.monotonic() - started
    mode = "appended to" if append else "loaded into"
    if result.rows:
        print_rows(f"Rows {mode} {database} (schema raw)", result.rows)
    for skipped in result.skipped:  # one unwrapped line each: scripts grep for them
        console.print(
            f"[yellow]Skipped[/] {escape(skipped.file_name)} (raw.{skipped.table}): "
            f"{escape(skipped.reason)}",
            soft_wrap=True,
        )
    if result.forced:
        console.print(
            f"[yellow]Forced[/]: replaced with much fewer rows: {', '.join(result.forced)}",
            soft_wrap=True,
        )
    if result.created_empty:
        console.print(f"Created empty (no file): {', '.join(result.created_empty)}")
    console.print(f"Recorded in ops.loads (load {result.load_id}). Took {elapsed:.1f} s.")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def build(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The run's 'now': UTC 'YYYY-MM-DD HH:MM:SS', a date, or 'now' "
            "(default: when dbt starts).",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", "-s", help="dbt selector; repeat or quote several."),
    ] = None,
    unit_tests: Annotated[
        bool,
        typer.Option(
            "--unit-tests/--no-unit-tests",
            help="Also run dbt unit tests (for development and CI; off for production data).",
        ),
    ] = False,
) -> None:
    """Run `dbt build` (seeds, models, tests) and summarise the result.

    Any other flag is passed to dbt as is, e.g. `handoff build --full-refresh --threads 2`.
    Exits with dbt's exit code.
    """
    from handoff.build import run_dbt_build

    with user_errors():
        as_of_value = as_of_option(as_of)
        started = time.time()
        exit_code = run_dbt_build(as_of_value, select or (), ctx.args, unit_tests=unit_tests)
    if exit_code in (0, 1):
        summary.print_build_summary(
            console, settings.duckdb_path(), summary.target_dir(ctx.args), not_before=started
        )
    if exit_code != 0:
        errors.print(f"[bold red]dbt build failed[/] (exit code {exit_code})")
    raise typer.Exit(exit_code)


class FeedChoice(StrEnum):
    crm_assignment_sync = "crm_assignment_sync"
    sla_alerts = "sla_alerts"
    all = "all"


@app.command()
def deliver(
    feed: Annotated[
        FeedChoice, typer.Option("--feed", help="Which outbound feed to deliver.")
    ] = FeedChoice.all,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send and log nothing.")
    ] = False,
    replay_dead_letters: Annotated[
        bool,
        typer.Option("--replay-dead-letters", help="Re-queue dead rows and send them again."),
    ] = False,
) -> None:
    """Send every feed row its targets have not accepted yet (deliveries.yml), exactly once.

    Every attempt is recorded in ops.delivery_log; safe to re-run at any time, also after a
    crash. Exits 0 when every row was delivered or is dead, 2 when rows wait for another run.
    """
    import os

    from handoff.delivery import deliver as deliver_feeds
    from handoff.delivery import load_config
    from handoff.delivery.summary import print_report

    with user_errors():
        config = load_config()
        feeds = None if feed is FeedChoice.all else [feed.value]
        report = deliver_feeds(
            settings.duckdb_path(),
            config,
            os.environ,
            feeds,
            dry_run=dry_run,
            replay=replay_dead_letters,
        )
    print_report(console, report)
    raise typer.Exit(2 if report.incomplete and not dry_run else 0)


@app.command()
def demo(
    leads: Annotated[int, typer.Option(min=1, help="Number of leads.")] = 5000,
    days: Annotated[int, typer.Option(min=1, help="Days of activity, ending today.")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Demo folder: raw/, handoff.duckdb, deliveries/ (default: data/demo)."
        ),
    ] = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Instead: run `handoff serve` on the demo warehouse (built first if missing) and "
            "drop new demo requests into its inbox, showing each one routed and delivered with "
            "its latency.",
        ),
    ] = False,
    live_drops: Annotated[
        int, typer.Option("--live-drops", min=1, help="With --live: how many demo requests.")
    ] = 3,
) -> None:
    """Generate -> load (fresh warehouse) -> build (as of now) -> deliver -> summary.

    With --live: the operational loop on the demo warehouse, watched live.
    """
    from handoff.demo import run_demo

    with user_errors():
        if live:
            from handoff.demo_live import run_live

            raise typer.Exit(
                run_live(console, live_drops, interval=15, timeout=300, out_dir=out, leads=leads)
            )
        exit_code = run_demo(console, leads=leads, days=days, seed=seed, out_dir=out)
    if exit_code != 0:
        errors.print(f"[bold red]dbt build failed[/] (exit code {exit_code})")
    raise typer.Exit(exit_code)


@app.command()
def serve() -> None:
    """Run the operational loop: the Dagster daemon with the inbox sensor, the minute timer and the
    schedules, until SIGTERM or Ctrl-C (docs/operations.md).

    Drops in HANDOFF_INBOX_DIR (default data/inbox) are appended, routed and delivered within
    seconds; escalations, reminders and breaches are re-evaluated every minute. One `serve` per
    warehouse file. DAGSTER_HOME defaults to data/dagster_home (its dagster.yaml is written).
    """
    from handoff import serve as loop

    with user_errors():
        console.print("Preparing the dbt manifest, then the Dagster daemon (Ctrl-C stops it)")
        exit_code = loop.serve()
    raise typer.Exit(exit_code)


@app.command()
def dev(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = ("127.0.0.1"),
    port: Annotated[int, typer.Option("--port", "-p", help="Port of the Dagster UI.")] = 3000,
) -> None:
    """`handoff serve` plus the Dagster UI (`dagster dev`) on http://HOST:PORT."""
    from handoff import serve as loop

    with user_errors():
        console.print(f"Preparing the dbt manifest, then Dagster on http://{host}:{port}")
        exit_code = loop.dev(host=host, port=port)
    raise typer.Exit(exit_code)


@app.command()
def report(
    month: Annotated[
        str | None,
        typer.Option(
            "--month", help="Month to report, YYYY-MM (default: the latest complete one)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="HTML file to write (default: data/reports/handoff-report-YYYY-MM.html)."
        ),
    ] = None,
) -> None:
    """Write the monthly executive report: one self-contained HTML page read from the marts.

    Compliance by tier against the bands, conversion by response window, first-touch age, the
    violation ladder, feedback completion, attribution by model, score calibration and a
    plain-language summary. Reads the embedded DuckDB warehouse (HANDOFF_DUCKDB_PATH).
    """
    from handoff.report import month_start, write_report

    with user_errors():
        if not schemas.uses_embedded_duckdb():
            raise HandoffError(
                "the report reads the embedded DuckDB warehouse (HANDOFF_TARGET=duckdb)"
            )
        chosen = month_start(month) if month is not None else None
        result = write_report(settings.duckdb_path(), month=chosen, out=out)
    console.print(f"Report for {result.month:%B %Y} written to {result.path}", soft_wrap=True)


@app.command("route-preview")
def route_preview(
    rules: Annotated[
        Path,
        typer.Option("--rules", help="Candidate routing rules CSV (same columns as the seed)."),
    ],
    days: Annotated[
        int, typer.Option(min=1, help="Compare leads handed off in the last N days.")
    ] = 30,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The preview's 'now' (default: now), UTC.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Work folder for the copy and the diff (default: data/route_preview)."
        ),
    ] = None,
) -> None:
    """Preview a routing-rules change: who would route where, without touching the ledger.

    Routes every lead from scratch in a copy of the warehouse with today's rules and with the
    candidate, then reports leads that would move and volumes per team and per rep for the
    leads handed off in the last N days. The candidate must pass the same rule tests as the seed.
    """
    from handoff.route_preview import preview_routes

    with user_errors():
        as_of_value = as_of_option(as_of) or now_as_of()
        work_dir = out or settings.DATA_DIR / "route_preview"
        result = preview_routes(rules, days, as_of_value, settings.duckdb_path(), work_dir)
    summary.print_route_preview(console, result, days)


if __name__ == "__main__":
    app()
