"""Read what the monthly report shows from the marts: one short read-only connection.

Every number is a mart's (docs/insights.md); the SQL here only selects, filters to the month and
sums rows across teams or tiers for display. Nothing is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from handoff.warehouse import HandoffError, connect, relation_exists

MARTS_SCHEMA = "marts"
# The marts the report reads (the Dagster asset depends on exactly these).
REPORT_MARTS = (
    "executive_monthly",
    "conversion_by_response_window",
    "conversion_speed_ratio",
    "first_touch_age",
    "rep_violation_ladder",
    "feedback_completion",
    "campaign_roi",
    "score_calibration",
    "lead_rejection_reasons",
)
# The model whose pipeline and ROI the campaign table shows; the chart shows every model.
HEADLINE_ATTRIBUTION_MODEL = "w_shaped"
TOP_CAMPAIGNS = 8

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportData:
    month: date
    as_of: datetime | None
    months: list[Row]  # executive_monthly up to the report's month
    month_row: Row
    compliance: list[Row]  # month x tier: rate and band, long format
    conversion: list[Row]  # response window x tier
    speed_ratios: list[Row]
    first_touch: list[Row]  # month x tier x touch class (all teams)
    first_touch_month: list[Row]  # the report's month, per tier
    ladder: list[Row]  # reps per ladder level at as_of
    feedback_teams: list[Row]  # team x week of the report's month
    feedback_reps: list[Row]  # rep totals for the report's month
    attribution: list[Row]  # top campaigns x model: pipeline
    campaigns: list[Row]  # campaign ROI under the headline model
    calibration: list[Row]
    rejection_reasons: list[Row]  # the month's reasons (all rejections)

    @property
    def fast_within_minutes(self) -> float | None:
        """Upper bound of the `fast` response windows (15 minutes by default)."""
        bounds = [r["upper_minutes"] for r in self.conversion if r["speed_group"] == "fast"]
        return max((b for b in bounds if b is not None), default=None)

    @property
    def slow_after_minutes(self) -> float | None:
        """Lower bound of the `slow` response windows (24 hours by default)."""
        bounds = [r["lower_minutes"] for r in self.conversion if r["speed_group"] == "slow"]
        return min((b for b in bounds if b is not None), default=None)


def month_start(text: str) -> date:
    """'YYYY-MM' as the first day of that month; a clear error otherwise."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError as error:
        raise HandoffError(f"--month {text!r} is not a month: use YYYY-MM, e.g. 2026-03") from error


def read_report_data(database: Path, month: date | None = None) -> ReportData:
    """Everything the report shows for `month` (default: the latest complete month)."""
    with connect(database, read_only=True) as connection:
        missing = [m for m in REPORT_MARTS if not relation_exists(connection, MARTS_SCHEMA, m)]
        if missing:
            raise HandoffError(
                f"the report needs marts that are not built in {database}: {', '.join(missing)}. "
                "Run `handoff build` first."
            )

        def rows(sql: str, parameters: list[Any] | None = None) -> list[Row]:
            cursor = connection.execute(sql, parameters or [])
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

        chosen = month or _default_month(rows)
        months = rows(
            "select * from marts.executive_monthly where month_start_date <= ? "
            "order by month_start_date",
            [chosen],
        )
        month_row = next((row for row in months if row["month_start_date"] == chosen), None)
        if month_row is None:
            available = [row["month_start_date"] for row in rows(MONTHS_SQL)]
            listed = ", ".join(f"{m:%Y-%m}" for m in available) or "none"
            raise HandoffError(f"no data for {chosen:%Y-%m} in executive_monthly; months: {listed}")
        return ReportData(
            month=chosen,
            as_of=month_row["executive_as_of_at"],
            months=months,
            month_row=month_row,
            compliance=rows(COMPLIANCE_SQL, [chosen]),
            conversion=rows(CONVERSION_SQL),
            speed_ratios=rows(SPEED_RATIO_SQL),
            first_touch=rows(FIRST_TOUCH_SQL, [chosen]),
            first_touch_month=rows(FIRST_TOUCH_MONTH_SQL, [chosen]),
            ladder=rows(LADDER_SQL),
            feedback_teams=rows(FEEDBACK_TEAMS_SQL, [chosen, chosen]),
            feedback_reps=rows(FEEDBACK_REPS_SQL, [chosen, chosen]),
            attribution=rows(ATTRIBUTION_SQL, [TOP_CAMPAIGNS]),
            campaigns=rows(CAMPAIGNS_SQL, [HEADLINE_ATTRIBUTION_MODEL]),
            calibration=rows(CALIBRATION_SQL),
            rejection_reasons=rows(REJECTIONS_SQL, [chosen]),
        )


def _default_month(rows) -> date:
    months = rows(MONTHS_SQL)
    if not months:
        raise HandoffError("executive_monthly is empty: load data and run `handoff build` first")
    complete = [row["month_start_date"] for row in months if row["is_complete_month"]]
    return complete[-1] if complete else months[-1]["month_start_date"]


MONTHS_SQL = """
    select month_start_date, is_complete_month
    from marts.executive_monthly
    order by month_start_date
"""

# executive_monthly's tier columns in long format, one row per month and tier
COMPLIANCE_SQL = """
    select month_start_date, tier, leads_due, compliance_rate, target_min, target_max,
        compliance_status
    from (
        select month_start_date, 'Tier 1' as tier, tier1_leads_due as leads_due,
            tier1_compliance_rate as compliance_rate, tier1_target_min as target_min,
            tier1_target_max as target_max, tier1_compliance_status as compliance_status
        from marts.executive_monthly
        union all
        select month_start_date, 'Tier 2', tier2_leads_due, tier2_compliance_rate,
            tier2_target_min, tier2_target_max, tier2_compliance_status
        from marts.executive_monthly
        union all
        select month_start_date, 'Tier 3', tier3_leads_due, tier3_compliance_rate,
            tier3_target_min, tier3_target_max, tier3_compliance_status
        from marts.executive_monthly
    )
    where month_start_date <= ?
    order by tier, month_start_date
"""

CONVERSION_SQL = """
    select response_window, window_order, 'Tier ' || priority_tier as tier, leads,
        leads_converted, conversion_rate, speed_group, lower_minutes, upper_minutes
    from marts.conversion_by_response_window
    order by priority_tier, window_order
"""

SPEED_RATIO_SQL = """
    select coalesce('Tier ' || priority_tier, 'All tiers') as scope, fast_leads,
        fast_conversion_rate, slow_leads, slow_conversion_rate, fast_to_slow_conversion_ratio,
        expected_ratio_min, expected_ratio_max, ratio_status
    from marts.conversion_speed_ratio
    order by priority_tier nulls first
"""

FIRST_TOUCH_SQL = """
    unpivot (
        select month_start_date, 'Tier ' || priority_tier as tier,
            sum(fast_compliant_leads) as fast_compliant,
            sum(slow_compliant_leads) as slow_compliant,
            sum(late_leads) as late,
            sum(untouched_leads) as untouched
        from marts.first_touch_age
        where month_start_date <= ?
        group by all
    )
    on fast_compliant, slow_compliant, late, untouched
    into name touch_class value leads
    order by tier, month_start_date, touch_class
"""

FIRST_TOUCH_MONTH_SQL = """
    select 'Tier ' || priority_tier as tier, sum(decided_leads) as decided_leads,
        sum(fast_compliant_leads) as fast_compliant_leads,
        sum(slow_compliant_leads) as slow_compliant_leads,
        sum(late_leads) as late_leads, sum(untouched_leads) as untouched_leads,
        sum(avg_response_business_minutes * (decided_leads - untouched_leads))
            / nullif(sum(decided_leads - untouched_leads), 0) as avg_response_business_minutes
    from marts.first_touch_age
    where month_start_date = ?
    group by all
    order by tier
"""

LADDER_SQL = """
    select ladder_level, level_rank, count(*) as reps,
        count(*) filter (where is_active) as active_reps
    from marts.rep_violation_ladder
    group by all
    order by level_rank
"""

FEEDBACK_TEAMS_SQL = """
    select coalesce(team, '(no team)') as team, week_start_date, sum(leads_handed_off) as leads,
        sum(leads_feedback_due) as leads_due,
        sum(leads_dispositioned_in_time) as leads_in_time,
        sum(leads_dispositioned_in_time) / nullif(sum(leads_feedback_due), 0) as completion_rate
    from marts.feedback_completion
    where week_start_date >= ? and week_start_date < ? + interval 1 month
    group by all
    order by team, week_start_date
"""

FEEDBACK_REPS_SQL = """
    select rep_id, coalesce(team, '(no team)') as team, sum(leads_handed_off) as leads,
        sum(leads_feedback_due) as leads_due,
        sum(leads_dispositioned_in_time) as leads_in_time,
        sum(leads_dispositioned_late) as leads_late,
        sum(leads_feedback_overdue) as leads_overdue,
        sum(leads_dispositioned_in_time) / nullif(sum(leads_feedback_due), 0) as completion_rate
    from marts.feedback_completion
    where week_start_date >= ? and week_start_date < ? + interval 1 month
    group by all
    order by completion_rate nulls last, leads_due desc, rep_id
"""

ATTRIBUTION_SQL = """
    with top_campaigns as (
        select campaign_id
        from marts.campaign_roi
        where campaign_id is not null and attribution_model = 'linear'
        order by pipeline_usd desc, campaign_id
        limit ?
    )
    select coalesce(roi.campaign_name, roi.campaign_id) as campaign, roi.attribution_model,
        roi.pipeline_usd, roi.won_revenue_usd
    from marts.campaign_roi as roi
    inner join top_campaigns on roi.campaign_id = top_campaigns.campaign_id
    order by campaign, roi.attribution_model
"""

CAMPAIGNS_SQL = """
    select coalesce(campaign_name, campaign_id, '(no campaign touch)') as campaign,
        campaign_id is not null as is_campaign, channel, leads, mqls, sqls, pipeline_usd,
        won_revenue_usd, cost_usd, roi
    from marts.campaign_roi
    where attribution_model = ?
    order by pipeline_usd desc, campaign
"""

CALIBRATION_SQL = """
    select quarter_start_date,
        'Q' || quarter(quarter_start_date) || ' ' || year(quarter_start_date) as quarter_label,
        handed_off_leads, high_score_threshold, high_score_leads,
        high_score_conversion_rate, min_conversion_rate, max_conversion_rate, verdict,
        suggested_score_threshold, suggested_threshold_conversion_rate, is_complete_quarter
    from marts.score_calibration
    order by quarter_start_date
"""

REJECTIONS_SQL = """
    -- every rejection counts once per dimension: one dimension's rows add up to the month
    select rejection_reason, sum(rejections) as rejections,
        sum(rejections) / sum(sum(rejections)) over () as share_of_rejections
    from marts.lead_rejection_reasons
    where month_start_date = ? and dimension = 'lead_source'
    group by rejection_reason
    order by rejections desc, rejection_reason
"""
