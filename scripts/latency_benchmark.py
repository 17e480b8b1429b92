"""Latency of the operational loop: `_READY` in the inbox -> the lead's assignment at a webhook.

    .venv/bin/python scripts/latency_benchmark.py [--leads 5000] [--batches 10]
        [--interval 15] [--per-batch 5] [--out data/latency] [--reuse]

Builds a warehouse of N generated leads (`handoff generate` + `load` + `build --as-of now`;
--reuse keeps one built before), starts `handoff serve` with HANDOFF_WEBHOOK_URL pointing at a
local receiver, waits for the first run (the backlog's delivery), then drops --batches folders of
--per-batch new Tier 1 leads (a demo request each) --interval seconds apart. Reports p50 / p95 /
max from `_READY` to the receiver accepting each lead's crm_assignment_sync row, and every
fast-path run's parts (queue + launch, load, dbt, delivery), which say what bounds it. Results
also go to <out>/<leads>/latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from handoff import loop_probe, settings
from handoff_datagen.inbox_drop import write_demo_request_drop

console = Console(highlight=False)
HANDOFF = settings.executable("handoff") or "handoff"


def prepare_warehouse(workdir: Path, leads: int, env: dict[str, str], reuse: bool) -> None:
    warehouse = Path(env["HANDOFF_DUCKDB_PATH"])
    if reuse and warehouse.exists():
        console.print(f"Reusing {warehouse}")
        return
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    raw = workdir / "raw"
    steps = [
        ["generate", "--out", str(raw), "--leads", str(leads)],
        ["load", str(raw)],
        ["build", "--as-of", "now"],
    ]
    for step in steps:
        started = time.monotonic()
        subprocess.run([HANDOFF, *step], env=env, check=True, stdout=subprocess.DEVNULL)
        console.print(f"handoff {step[0]}: {time.monotonic() - started:.0f} s")


def first_run_done(workdir: Path) -> bool:
    if not (workdir / "dagster_home" / "history").exists():
        return False
    return any(
        run.status == "SUCCESS" for run in loop_probe.fast_path_runs(workdir / "dagster_home")
    )


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=5000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--interval", type=float, default=15.0)
    parser.add_argument("--per-batch", type=int, default=5)
    parser.add_argument("--out", type=Path, default=settings.DATA_DIR / "latency")
    parser.add_argument("--reuse", action="store_true", help="keep a warehouse built before")
    parser.add_argument("--timeout", type=float, default=600.0, help="per batch, seconds")
    args = parser.parse_args()

    workdir = (args.out / str(args.leads)).resolve()
    inbox = workdir / "inbox"
    receiver = loop_probe.Receiver().start()
    env = loop_probe.serve_environment(workdir, workdir / "handoff.duckdb", inbox, receiver.url)
    prepare_warehouse(workdir, args.leads, env, args.reuse)
    for scratch in ("dagster_home", "inbox", "deliveries"):
        shutil.rmtree(workdir / scratch, ignore_errors=True)
    inbox.mkdir(parents=True)

    console.print(f"Starting handoff serve (load average {load_average()})")
    started = time.monotonic()
    serve = loop_probe.start_serve(env, workdir / "serve.log")
    ready_at: dict[str, float] = {}
    batches: list[list[str]] = []
    try:
        while not first_run_done(workdir):  # the timer's first run delivers any backlog
            if serve.poll() is not None or time.monotonic() - started > args.timeout:
                console.print(f"[red]serve did not deliver; see {workdir / 'serve.log'}")
                return 1
            time.sleep(1)
        console.print(f"First run done {time.monotonic() - started:.0f} s after start")
        time.sleep(args.interval)
        stamp = time.strftime("%H%M%S")  # new lead ids on every run, also with --reuse
        for number in range(1, args.batches + 1):
            name = f"b{stamp}-{number:03d}"
            _, ids = write_demo_request_drop(inbox, name, args.per_batch)
            now = time.time()
            ready_at.update(dict.fromkeys(ids, now))
            batches.append(ids)
            console.print(f"dropped batch {number} ({len(ids)} leads); load {load_average()}")
            if number < args.batches:
                time.sleep(args.interval)
        every = [lead for batch in batches for lead in batch]
        complete = receiver.wait_for(every, args.timeout)
    finally:
        loop_probe.stop_serve(serve)
        receiver.stop()

    latencies = {
        lead: receiver.assigned_at[lead] - ready_at[lead]
        for lead in ready_at
        if lead in receiver.assigned_at
    }
    report(args, workdir, latencies, len(ready_at), complete)
    return 0 if complete else 1


def report(args, workdir: Path, latencies: dict[str, float], dropped: int, complete: bool) -> None:
    values = list(latencies.values())
    summary = {
        "leads_in_warehouse": args.leads,
        "batches": args.batches,
        "per_batch": args.per_batch,
        "interval_seconds": args.interval,
        "delivered": len(values),
        "dropped": dropped,
        "p50_seconds": round(loop_probe.percentile(values, 0.5), 1) if values else None,
        "p95_seconds": round(loop_probe.percentile(values, 0.95), 1) if values else None,
        "max_seconds": round(max(values), 1) if values else None,
        "load_average_end": load_average(),
        "cpus": os.cpu_count(),
    }
    runs = loop_probe.fast_path_runs(workdir / "dagster_home")
    table = Table(title="fast-path runs")
    for column in ("trigger", "status", "queue+launch s", "run s", "load s", "dbt s", "deliver s"):
        table.add_column(column, justify="right")
    for run in runs:
        meta = run.metadata
        table.add_row(
            run.trigger,
            run.status,
            f"{run.queued_seconds:.1f}",
            f"{run.run_seconds:.1f}",
            str(meta.get("load_seconds", "")),
            str(meta.get("build_seconds", "")),
            str(meta.get("deliver_seconds", "")),
        )
    console.print(table)
    console.print(json.dumps(summary, indent=2))
    if not complete:
        console.print(f"[red]{dropped - len(values)} lead(s) never reached the webhook")
    summary["runs"] = [run.__dict__ for run in runs]
    (workdir / "latency.json").write_text(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
