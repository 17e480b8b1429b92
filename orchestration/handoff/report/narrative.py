"""The plain-language summary at the top of the report: sentences built from mart values.

Verdicts and statuses are the marts' (compliance_status, ratio_status, verdict); this module only
puts them into words.
"""

from __future__ import annotations

from handoff.report import formatting as fmt
from handoff.report.data import HEADLINE_ATTRIBUTION_MODEL, ReportData


def summary_sentences(data: ReportData) -> list[str]:
    sentences = [
        _volume(data),
        _compliance(data),
        _speed(data),
        _first_touch(data),
        _feedback(data),
        _ladder(data),
        _calibration(data),
        _rejections(data),
        _attribution(data),
    ]
    return [sentence for sentence in sentences if sentence]


def _volume(data: ReportData) -> str:
    row = data.month_row
    return (
        f"In {fmt.month_name(data.month)} {fmt.count(row['leads_handed_off'])} leads were handed "
        f"off to sales ({fmt.count(row['leads_created'])} created, {fmt.count(row['mqls'])} became "
        f"MQLs, {fmt.count(row['sqls'])} SQLs); {fmt.count(row['opportunities_created'])} "
        f"opportunities worth {fmt.usd(row['pipeline_created_usd'])} were created and "
        f"{fmt.count(row['deals_won'])} deals worth {fmt.usd(row['revenue_won_usd'])} were won."
    )


def _compliance(data: ReportData) -> str:
    parts = []
    for row in data.compliance:
        if row["month_start_date"] != data.month:
            continue
        if not row["leads_due"]:
            parts.append(f"{row['tier']}: no lead decided")
            continue
        change = _change_of(data, row["tier"])
        trend = f", {fmt.points(change)} on the month before" if change is not None else ""
        parts.append(
            f"{row['tier']} {fmt.pct(row['compliance_rate'])} of {fmt.count(row['leads_due'])} "
            f"(target {fmt.span(fmt.pct(row['target_min']), fmt.pct(row['target_max']))}: "
            f"{fmt.words(row['compliance_status'])}{trend})"
        )
    return "First touch within the SLA: " + "; ".join(parts) + "." if parts else ""


def _change_of(data: ReportData, tier: str):
    number = tier.split()[-1]
    return data.month_row.get(f"tier{number}_compliance_change")


def _speed(data: ReportData) -> str:
    overall = next((row for row in data.speed_ratios if row["scope"] == "All tiers"), None)
    if overall is None or overall["ratio_status"] == "insufficient_data":
        return "There are not enough fast and slow first touches yet to compare their conversion."
    expected = fmt.span(f"{overall['expected_ratio_min']:g}", f"{overall['expected_ratio_max']:g}")
    return (
        f"Leads first touched within {fmt.minutes(data.fast_within_minutes)} converted to an "
        f"opportunity {fmt.ratio(overall['fast_to_slow_conversion_ratio'])} as often as leads "
        f"touched after {fmt.minutes(data.slow_after_minutes)} "
        f"({fmt.pct(overall['fast_conversion_rate'])} against "
        f"{fmt.pct(overall['slow_conversion_rate'])}); the playbook expects {expected}{fmt.TIMES} "
        f"({fmt.words(overall['ratio_status'])})."
    )


def _first_touch(data: ReportData) -> str:
    decided = sum(int(row["decided_leads"] or 0) for row in data.first_touch_month)
    if not decided:
        return ""
    late = sum(int(row["late_leads"] or 0) for row in data.first_touch_month)
    untouched = sum(int(row["untouched_leads"] or 0) for row in data.first_touch_month)
    slow = sum(int(row["slow_compliant_leads"] or 0) for row in data.first_touch_month)
    return (
        f"Of {fmt.count(decided)} leads whose SLA was decided, {fmt.pct(untouched / decided)} had "
        f"no valid touch, {fmt.pct(late / decided)} were touched late and "
        f"{fmt.pct(slow / decided)} met the SLA only in the second half of the window."
    )


def _feedback(data: ReportData) -> str:
    row = data.month_row
    if not row["feedback_due"]:
        return "No handed-off lead of the month is due for sales feedback yet."
    return (
        f"Sales documented a verdict in time for {fmt.pct(row['feedback_completion_rate'])} of the "
        f"month's leads due for feedback ({fmt.count(row['feedback_in_time'])} of "
        f"{fmt.count(row['feedback_due'])})."
    )


def _ladder(data: ReportData) -> str:
    on_ladder = [row for row in data.ladder if row["level_rank"]]
    reps = sum(int(row["reps"]) for row in on_ladder)
    levels = ", ".join(f"{row['reps']} {row['ladder_level']}" for row in on_ladder)
    at = f"at {data.as_of:%Y-%m-%d}" if data.as_of else "now"
    month = data.month_row
    return (
        f"{fmt.count(reps)} reps are on the SLA violation ladder {at}"
        + (f" ({levels})" if levels else "")
        + f"; the month had {fmt.count(month['sla_breaches'])} SLA breaches and "
        f"{fmt.count(month['ladder_level_ups'])} level-ups."
    )


def _calibration(data: ReportData) -> str:
    quarter = next(
        (
            row
            for row in data.calibration
            if row["quarter_start_date"].year == data.month.year
            and (row["quarter_start_date"].month - 1) // 3 == (data.month.month - 1) // 3
        ),
        None,
    )
    if quarter is None or quarter["verdict"] is None:
        return "Score calibration: no lead of the quarter reached the high-score threshold yet."
    band = fmt.span(
        fmt.pct(quarter["min_conversion_rate"]), fmt.pct(quarter["max_conversion_rate"])
    )
    sentence = (
        f"Score calibration, {fmt.quarter_name(quarter['quarter_start_date'])}: "
        f"{fmt.pct(quarter['high_score_conversion_rate'])} of the "
        f"{fmt.count(quarter['high_score_leads'])} leads scoring "
        f"{quarter['high_score_threshold']:g}+ converted (band {band}): "
        f"{fmt.words(quarter['verdict'])}"
    )
    suggested = quarter["suggested_score_threshold"]
    if quarter["verdict"] != "calibrated" and suggested is not None:
        sentence += (
            f"; a threshold of {suggested} would have converted "
            f"{fmt.pct(quarter['suggested_threshold_conversion_rate'])}"
        )
    elif quarter["verdict"] != "calibrated":
        sentence += "; no threshold would have landed in the band"
    if not quarter["is_complete_quarter"]:
        sentence += " (quarter still running)"
    return sentence + "."


def _rejections(data: ReportData) -> str:
    row = data.month_row
    if not row["rejections"]:
        return ""
    return (
        f"Sales rejected {fmt.count(row['rejections'])} leads; the top reasons were "
        f"{row['top_rejection_reasons']}."
    )


def _attribution(data: ReportData) -> str:
    credited = [row for row in data.campaigns if row["is_campaign"] and row["pipeline_usd"]]
    if not credited:
        return ""
    top = credited[0]
    model = fmt.model_name(HEADLINE_ATTRIBUTION_MODEL)
    roi = f", return on cost {fmt.pct(top['roi'])}" if top["roi"] is not None else ""
    return (
        f"Under the {model} attribution model, {top['campaign']} is credited with the most "
        f"pipeline: {fmt.usd(top['pipeline_usd'])}{roi}."
    )
