"""The report's charts: Altair specifications rendered to SVG by vl-convert, so the page needs
no script and no network to show them. Each function takes rows read from the marts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import altair as alt
import vl_convert

Row = dict[str, Any]

TIER_COLORS = alt.Scale(
    domain=["Tier 1", "Tier 2", "Tier 3"], range=["#c0392b", "#e67e22", "#2980b9"]
)
TOUCH_CLASSES = ["fast_compliant", "slow_compliant", "late", "untouched"]
TOUCH_COLORS = alt.Scale(domain=TOUCH_CLASSES, range=["#27ae60", "#a9d18e", "#e67e22", "#c0392b"])
WIDTH = 250


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an inline SVG document (text)."""
    return vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=_vegalite_version())


def _vegalite_version() -> str | None:
    """The Vega-Lite version Altair writes, when vl-convert bundles it (else its default)."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vl_convert.get_vegalite_versions() else None


def _values(rows: Sequence[Row]) -> alt.Data:
    """Rows as inline chart data; dates become ISO text (Vega parses them)."""
    return alt.Data(values=[{key: _plain(value) for key, value in row.items()} for row in rows])


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "__float__") and not isinstance(value, bool | int | float):
        return float(value)  # Decimal sums
    return value


def compliance_by_tier(rows: Sequence[Row]) -> str:
    """Monthly compliance per tier (line) inside the tier's target band (shaded)."""
    month = alt.X("yearmonth(month_start_date):O", title=None)
    band = (
        alt.Chart()
        .mark_area(opacity=0.18, color="#27ae60")
        .encode(month, y=alt.Y("target_min:Q"), y2="target_max:Q")
    )
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            month,
            y=alt.Y(
                "compliance_rate:Q",
                title="met by the due time",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("tier:N", scale=TIER_COLORS, legend=None),
        )
    )
    return to_svg(
        alt.layer(band, line, data=_values(rows))
        .properties(width=WIDTH, height=170)
        .facet(column=alt.Column("tier:N", title=None))
    )


def conversion_by_window(rows: Sequence[Row]) -> str:
    """Conversion to opportunity per response window, a bar per tier."""
    windows = sorted({(row["window_order"], row["response_window"]) for row in rows})
    chart = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            x=alt.X("response_window:N", sort=[name for _, name in windows], title=None),
            xOffset=alt.XOffset("tier:N"),
            y=alt.Y(
                "conversion_rate:Q", title="converted to opportunity", axis=alt.Axis(format="%")
            ),
            color=alt.Color("tier:N", scale=TIER_COLORS, title=None),
        )
        .properties(width=3 * WIDTH, height=220)
    )
    return to_svg(chart)


def first_touch_classes(rows: Sequence[Row]) -> str:
    """Per tier and month, the share of decided leads touched fast, slow, late or never."""
    chart = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_start_date):O", title=None),
            y=alt.Y(
                "sum(leads):Q", stack="normalize", title="decided leads", axis=alt.Axis(format="%")
            ),
            color=alt.Color("touch_class:N", scale=TOUCH_COLORS, sort=TOUCH_CLASSES, title=None),
            order=alt.Order("touch_order:Q"),
        )
        .transform_calculate(touch_order="indexof(" + str(TOUCH_CLASSES) + ", datum.touch_class)")
        .properties(width=WIDTH, height=170)
        .facet(column=alt.Column("tier:N", title=None))
    )
    return to_svg(chart)


def ladder_states(rows: Sequence[Row]) -> str:
    """Reps at each level of the violation ladder at as_of."""
    chart = (
        alt.Chart(_values(rows))
        .mark_bar(color="#8e44ad")
        .encode(
            x=alt.X("ladder_level:N", sort=alt.EncodingSortField("level_rank"), title=None),
            y=alt.Y("reps:Q", title="reps"),
        )
        .properties(width=WIDTH, height=170)
    )
    text = chart.mark_text(dy=-6).encode(text="reps:Q")
    return to_svg(chart + text)


def feedback_by_team(rows: Sequence[Row]) -> str:
    """Weekly feedback completion per team over the report's month."""
    chart = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            x=alt.X("team:N", title=None),
            xOffset=alt.XOffset("week_start_date:N", title="week"),
            y=alt.Y(
                "completion_rate:Q",
                title="verdict in time",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("week_start_date:N", title="week of"),
        )
        .properties(width=3 * WIDTH, height=200)
    )
    return to_svg(chart)


def attribution_by_model(rows: Sequence[Row]) -> str:
    """Pipeline credited to the top campaigns under each attribution model."""
    chart = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            y=alt.Y("campaign:N", title=None, sort="-x"),
            yOffset=alt.YOffset("attribution_model:N"),
            x=alt.X(
                "pipeline_usd:Q", title="attributed pipeline (USD)", axis=alt.Axis(format="$,.0f")
            ),
            color=alt.Color("attribution_model:N", title="model"),
        )
        .properties(width=2 * WIDTH, height=alt.Step(4))
    )
    return to_svg(chart)


def calibration_by_quarter(rows: Sequence[Row]) -> str:
    """High-score conversion per quarter against the calibration band."""
    quarter = alt.X("quarter_label:O", title=None, sort=alt.EncodingSortField("quarter_start_date"))
    band = (
        alt.Chart()
        .mark_bar(opacity=0.18, color="#27ae60")
        .encode(quarter, y="min_conversion_rate:Q", y2="max_conversion_rate:Q")
    )
    rate = (
        alt.Chart()
        .mark_point(filled=True, size=90, color="#2c3e50")
        .encode(
            quarter,
            y=alt.Y(
                "high_score_conversion_rate:Q",
                title="high scorers converted",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domainMin=0),
            ),
        )
    )
    return to_svg(alt.layer(band, rate, data=_values(rows)).properties(width=WIDTH, height=170))
