"""The per-target table at the end of `handoff deliver` (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from handoff.delivery.engine import RunReport


def print_report(console: Console, report: RunReport) -> None:
    feeds = ", ".join(report.feeds)
    if report.dry_run:
        console.print(f"[bold]Dry run[/]: nothing sent, nothing logged ({feeds})")
        table = Table()
        for column in ("target", "feed", "rows to send", "requests"):
            table.add_column(column, justify="left" if column in ("target", "feed") else "right")
        for target in report.targets:
            for feed, (rows, requests) in target.would_send.items():
                table.add_row(target.target, feed, f"{rows:,}", f"{requests:,}")
            if target.requeued:
                table.add_row(target.target, "dead letters to replay", f"{target.requeued:,}", "")
            if target.error:
                table.add_row(target.target, f"[red]{escape(target.error)}", "", "")
        console.print(table)
        return
    console.print(f"[bold]Delivery[/] ({feeds})")
    table = Table()
    table.add_column("target")
    for column in ("sent", "accepted", "retrying", "dead", "requests", "slowest answer"):
        table.add_column(column, justify="right")
    table.add_column("note")
    for target in report.targets:
        note = target.error or target.paused or ""
        if target.requeued:
            note = f"{target.requeued:,} dead letters re-queued. {note}".strip()
        label = (
            target.target if target.target == target.kind else f"{target.target} ({target.kind})"
        )
        table.add_row(
            label,
            f"{target.sent:,}",
            f"[green]{target.accepted:,}" if target.accepted else "0",
            f"[yellow]{target.retrying:,}" if target.retrying else "0",
            f"[red]{target.dead:,}" if target.dead else "0",
            f"{target.requests:,}",
            f"{target.slowest_seconds:.2f} s" if target.requests else "-",
            escape(note),
        )
    console.print(table)
    if not report.targets:
        console.print("No target is enabled for these feeds (deliveries.yml).")
    if report.dead:
        console.print(
            f"[red]{report.dead:,} row(s) dead[/]: see ops.delivery_log.last_error; "
            "`handoff deliver --replay-dead-letters` sends them again."
        )
    if report.incomplete:
        console.print("[yellow]Some rows wait for the next run[/] (`handoff deliver` again).")
