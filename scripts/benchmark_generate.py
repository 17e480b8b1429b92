"""Time `handoff generate` at scale: rows per table and seconds.

    .venv/bin/python scripts/benchmark_generate.py [--leads 1000000] [--days 60]
        [--format parquet] [--out DIR] [--seed 42] [--end 2026-03-20]

Writes into a temporary folder unless --out is given. Target: 1,000,000 leads in under 60 s
on 2 cores (parquet).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from handoff.generate import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", default="2026-03-20")
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as scratch:
        out = args.out or Path(scratch)
        started = time.perf_counter()
        last = (started, time.process_time())

        def progress(table: str, rows: int) -> None:
            nonlocal last
            now = (time.perf_counter(), time.process_time())
            print(
                f"  {table:<24}{rows:>14,} rows {now[0] - last[0]:8.1f} s"
                f"  (cpu {now[1] - last[1]:5.1f} s)",
                flush=True,
            )
            last = now

        print(
            f"generate --leads {args.leads:,} --days {args.days} --format {args.format} "
            f"on {os.cpu_count()} cores -> {out}"
        )
        rows = generate(
            out,
            leads=args.leads,
            days=args.days,
            seed=args.seed,
            end_date=args.end,
            file_format=args.format,
            progress=progress,
        )
        elapsed = time.perf_counter() - started
        cpu = time.process_time()
        size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
        print(f"  {'total':<24}{sum(rows.values()):>14,} rows {elapsed:8.1f} s  (cpu {cpu:5.1f} s)")
        print(f"  {size / 1e6:,.0f} MB on disk; {sum(rows.values()) / elapsed:,.0f} rows/s")


if __name__ == "__main__":
    main()
