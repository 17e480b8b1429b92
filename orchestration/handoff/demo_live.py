"""`handoff demo --live`: the operational loop on the demo warehouse, watched live.

Runs `handoff demo` first when its warehouse does not exist yet, then starts `handoff serve` on it
(its own DAGSTER_HOME, inbox and dbt target under the demo folder) with HANDOFF_WEBHOOK_URL
pointing at a local receiver, drops new demo requests into the inbox one by one, and prints each
lead as its assignment reaches the webhook: who owns it and how long after `_READY`.
"""

from __future__ import annotations

import shutil
import time

from rich.console import Console
from rich.markup import escape

from handoff import loop_probe
from handoff.demo import DEFAULT_DEMO_DIR, DemoPaths, run_demo


def run_live(
    console: Console, drops: int, interval: float, timeout: float, out_dir=None, leads: int = 5000
) -> int:
    """Drop `drops` demo requests `interval` seconds apart while serve runs; 0 when all arrive."""
    from handoff_datagen.inbox_drop import write_demo_request_drop

    paths = DemoPaths((out_dir or DEFAULT_DEMO_DIR).resolve())
    if not paths.warehouse.exists():
        exit_code = run_demo(console, leads=leads, days=60, seed=42, out_dir=paths.root)
        if exit_code != 0:
            return exit_code
    live = paths.root / "live"
    for scratch in ("inbox", "dagster_home"):
        shutil.rmtree(live / scratch, ignore_errors=True)
    inbox = live / "inbox"
    inbox.mkdir(parents=True)
    receiver = loop_probe.Receiver().start()
    env = loop_probe.serve_environment(live, paths.warehouse, inbox, receiver.url)
    console.rule("[bold]Live: handoff serve, new demo requests in the inbox")
    console.print(f"  inbox {inbox}; serve's log {live / 'serve.log'}", soft_wrap=True)
    serve = loop_probe.start_serve(env, live / "serve.log")
    stamp = time.strftime("%H%M%S")
    ready_at: dict[str, float] = {}
    reported: set[str] = set()
    try:
        for number in range(1, drops + 1):
            _, [lead] = write_demo_request_drop(inbox, f"live{stamp}-{number}", 1)
            ready_at[lead] = time.time()
            console.print(f"  dropped {lead} (a demo request, Tier 1)")
            wait = interval if number < drops else 0
            _report_arrivals(console, receiver, ready_at, reported, wait=wait)
        deadline = time.monotonic() + timeout
        while len(_arrived(receiver, ready_at)) < len(ready_at) and time.monotonic() < deadline:
            _report_arrivals(console, receiver, ready_at, reported, wait=1)
    finally:
        console.print("  stopping handoff serve")
        loop_probe.stop_serve(serve)
        receiver.stop()
    missing = set(ready_at) - _arrived(receiver, ready_at)
    if missing:
        console.print(f"[red]  not delivered within {timeout:.0f} s: {', '.join(sorted(missing))}")
        return 1
    return 0


def _arrived(receiver: loop_probe.Receiver, ready_at: dict[str, float]) -> set[str]:
    return {lead for lead in ready_at if lead in receiver.assigned_at}


def _report_arrivals(
    console: Console,
    receiver: loop_probe.Receiver,
    ready_at: dict[str, float],
    reported: set[str],
    wait: float,
) -> None:
    """Print each lead that reached the webhook since the last call, for `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        for lead in sorted(_arrived(receiver, ready_at) - reported):
            row = receiver.assignments[lead]
            latency = receiver.assigned_at[lead] - ready_at[lead]
            console.print(
                f"  [green]routed[/] {lead} -> rep {escape(str(row.get('rep_id')))} "
                f"({escape(str(row.get('assignment_type')))}), at the webhook "
                f"{latency:.1f} s after _READY"
            )
            reported.add(lead)
        if time.monotonic() >= deadline:
            return
        time.sleep(0.5)
