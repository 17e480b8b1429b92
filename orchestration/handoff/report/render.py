"""Turn the report's data into one self-contained HTML page: inline CSS, charts as inline SVG,
no script and no link to anything outside the file.
"""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2

from handoff.report import charts, narrative
from handoff.report import formatting as fmt
from handoff.report.data import HEADLINE_ATTRIBUTION_MODEL, ReportData

# long tables (reps, campaigns) show their first rows; the marts hold the rest
TABLE_ROWS = 15

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("handoff.report", "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_environment.filters.update(
    pct=fmt.pct,
    points=fmt.points,
    usd=fmt.usd,
    count=fmt.count,
    ratio=fmt.ratio,
    minutes=fmt.minutes,
    quarter=fmt.quarter_name,
    words=fmt.words,
    model_name=fmt.model_name,
)


def render_report(data: ReportData, generated_at: datetime | None = None) -> str:
    """The report page for `data`."""
    generated_at = generated_at or datetime.now(UTC)
    compliance_month = [
        {**row, "change": data.month_row.get(f"tier{row['tier'].split()[-1]}_compliance_change")}
        for row in data.compliance
        if row["month_start_date"] == data.month
    ]
    return _environment.get_template("report.html.j2").render(
        month_name=fmt.month_name(data.month),
        as_of=f"{data.as_of:%Y-%m-%d %H:%M}" if data.as_of else fmt.DASH,
        generated_at=f"{generated_at:%Y-%m-%d %H:%M}",
        month_row=data.month_row,
        summary=narrative.summary_sentences(data),
        compliance_month=compliance_month,
        speed_ratios=data.speed_ratios,
        fast_within_minutes=data.fast_within_minutes,
        slow_after_minutes=data.slow_after_minutes,
        first_touch_month=data.first_touch_month,
        ladder=data.ladder,
        feedback_reps=data.feedback_reps,
        campaigns=data.campaigns,
        calibration=data.calibration,
        rejection_reasons=data.rejection_reasons,
        headline_model=HEADLINE_ATTRIBUTION_MODEL,
        table_rows=TABLE_ROWS,
        charts={
            "compliance": charts.compliance_by_tier(data.compliance),
            "conversion": charts.conversion_by_window(data.conversion),
            "first_touch": charts.first_touch_classes(data.first_touch),
            "ladder": charts.ladder_states(data.ladder),
            "feedback": charts.feedback_by_team(data.feedback_teams),
            "attribution": charts.attribution_by_model(data.attribution),
            "calibration": charts.calibration_by_quarter(data.calibration),
        },
    )
