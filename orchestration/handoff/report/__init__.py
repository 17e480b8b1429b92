"""The monthly executive report (`handoff report`, the Dagster asset, `handoff demo`).

read the marts (data) -> sentences (narrative) and charts (charts, Altair -> SVG) -> one
self-contained HTML page (render). Python reads and renders; every number and verdict is a
mart's (docs/insights.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from handoff import settings
from handoff.report.data import REPORT_MARTS, month_start, read_report_data
from handoff.report.narrative import summary_sentences

__all__ = ["REPORT_MARTS", "ReportResult", "default_report_path", "month_start", "write_report"]


@dataclass(frozen=True)
class ReportResult:
    path: Path
    month: date
    summary: list[str]


def report_dir() -> Path:
    """Where reports go by default: HANDOFF_REPORT_DIR, or data/reports."""
    configured = os.environ.get("HANDOFF_REPORT_DIR")
    return Path(configured) if configured else settings.DATA_DIR / "reports"


def default_report_path(month: date, directory: Path | None = None) -> Path:
    return (directory or report_dir()) / f"handoff-report-{month:%Y-%m}.html"


def write_report(
    database: Path,
    month: date | None = None,
    out: Path | None = None,
    directory: Path | None = None,
) -> ReportResult:
    """Write the report for `month` (default: the latest complete month) to `out`, else to
    `directory` (default: report_dir()) as handoff-report-YYYY-MM.html."""
    # charts pull in Altair and vl-convert: loaded when a report is written, not on import (the
    # Dagster definitions import this package)
    from handoff.report.render import render_report

    data = read_report_data(database, month)
    path = out or default_report_path(data.month, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(data), encoding="utf-8")
    return ReportResult(path=path.resolve(), month=data.month, summary=summary_sentences(data))
