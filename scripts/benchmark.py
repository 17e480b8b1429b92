"""Benchmark the pipeline at scale: generate -> load -> dbt build, with per-model timings.

    .venv/bin/python scripts/benchmark.py [--leads 1000000] [--days 60] [--end 2026-03-20]
        [--out data/bench] [--skip-generate] [--threads 4]

Speed goals are proven here, not in timed tests: the generator writes 1,000,000 leads
(~20M events) in under a minute on 2 cores; the warehouse builds them in one set-based pass per
model (every model's time is printed from dbt's run_results.json). Results also go to
<out>/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from handoff.build import run_dbt_build
from handoff.load import load_directory
from handoff_datagen import generate

console = Console()
COUNTED = ("leads", "lead_assignments", "lead_sla", "sla_compliance", "sla_alerts")


def timed(label: str, results: dict, action):
    console.rule(label)
    started = time.perf_counter()
    value = action()
    results[label] = round(time.perf_counter() - started, 1)
    console.print(f"{label}: {results[label]} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 3, 20))
    parser.add_argument("--out", type=Path, default=Path("data/bench"))
    parser.add_argument("--skip-generate", action="store_true", help="reuse <out>/raw")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    out = args.out.resolve()
    raw, warehouse, target = out / "raw", out / "handoff.duckdb", out / "target"
    os.environ["DBT_TARGET_PATH"] = str(target)
    os.environ["DBT_LOG_PATH"] = str(out / "logs")
    as_of = f"{args.end.isoformat()} 00:00:00"
    console.print(f"{args.leads:,} leads over {args.days} days, {os.cpu_count()} cores, -> {out}")
    seconds: dict[str, float] = {}

    if not args.skip_generate:
        rows = timed(
            "generate",
            seconds,
            lambda: generate(raw, args.leads, args.days, args.seed, args.end, "parquet"),
        )
        console.print(f"  {sum(rows.values()):,} rows, {rows['marketing_events']:,} events")
    warehouse.unlink(missing_ok=True)
    timed("load", seconds, lambda: load_directory(raw, warehouse))
    build_args = ["--quiet", "--threads", str(args.threads)]
    exit_code = timed("dbt build", seconds, lambda: run_dbt_build(as_of, (), build_args, warehouse))
    if exit_code != 0:
        raise SystemExit(f"dbt build failed with exit code {exit_code}")

    run_results = json.loads((target / "run_results.json").read_text())["results"]
    models = sorted(
        (
            (result["unique_id"].split(".")[-1], result["execution_time"])
            for result in run_results
            if result["unique_id"].startswith("model.")
        ),
        key=lambda item: -item[1],
    )
    tests_seconds = sum(
        r["execution_time"] for r in run_results if r["unique_id"].startswith("test.")
    )
    table = Table(title="slowest models (dbt execution time, s)")
    table.add_column("model")
    table.add_column("seconds", justify="right")
    for name, elapsed in models[:15]:
        table.add_row(name, f"{elapsed:.1f}")
    console.print(table)
    console.print(
        f"all models: {sum(t for _, t in models):.1f} s; data tests: {tests_seconds:.1f} s"
    )

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        counts = {
            name: connection.execute(f"select count(*) from marts.{name}").fetchone()[0]
            for name in COUNTED
        }
    console.print("rows: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    (out / "results.json").write_text(
        json.dumps(
            {
                "leads": args.leads,
                "cores": os.cpu_count(),
                "seconds": seconds,
                "models": dict(models),
                "tests_seconds": round(tests_seconds, 1),
                "rows": counts,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
