"""`handoff demo`'s two passes land where the generator promises (`handoff_datagen.behaviour`).

One demo warehouse per size, built the demo's way (`demo.build_two_passes`: generate, load,
build the handoff plan, the reps respond to it, load their response) and then the marts the
checks read, without data tests (test_cli's demo runs the full build with its tests). Every
expected range and name comes from `behaviour`, none is repeated here. The small size runs in
`make test`; the demo's default size is `slow` (`make ci`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from handoff import demo, settings, team_summary
from handoff.build import run_dbt_build
from handoff.warehouse import connect
from handoff_datagen.behaviour import PROMISED_COMPLIANCE, SLOW_REPS, SLOW_TEAM

pytestmark = pytest.mark.dbt

END_DATE = date(2026, 11, 23)
AS_OF = "2026-11-23 00:00:00"
# what the checks read, and what those marts need (escalations, conversion by response time)
MARTS = (
    "+lead_sla",
    "+compliance_drops",
    "+rep_violation_ladder",
    "+escalation_responses",
    "+lead_assignments",
    "+routing_backlog",
    "+conversion_by_response_window",
)


@dataclass(frozen=True)
class DemoBuild:
    warehouse: Path
    output: str  # the plan and response steps and the team summary, as printed


@pytest.fixture(
    scope="module",
    params=[
        pytest.param((3_000, 42, 42), id="3000-leads"),
        pytest.param((5_000, 60, 42), id="5000-leads", marks=pytest.mark.slow),
    ],
)
def demo_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    leads, days, seed = request.param
    root = tmp_path_factory.mktemp("demo")
    paths = demo.DemoPaths(root)
    console = Console(record=True, width=160, force_terminal=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_TARGET_PATH", str(root / "target"))
        patch.setenv("DBT_LOG_PATH", str(root / "logs"))
        patch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
        patch.delenv("HANDOFF_TARGET", raising=False)
        data = demo.DataSet(leads, days, seed, END_DATE)
        assert demo.build_two_passes(console, paths, data, AS_OF) == 0
        marts = run_dbt_build(
            as_of=AS_OF,
            select=MARTS,
            dbt_args=["--quiet", "--exclude-resource-type", "test"],
            database=paths.warehouse,
        )
        assert marts == 0
        team_summary.print_team(console, paths.warehouse)
    return DemoBuild(paths.warehouse, console.export_text())


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with connect(warehouse, read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_compliance_per_tier_lands_in_the_promised_range(demo_build: DemoBuild):
    rates = dict(
        _rows(
            demo_build.warehouse,
            """
            select priority_tier,
                avg(case when sla_status = 'met' then 1.0 else 0.0 end)
            from marts.lead_sla
            where sla_status in ('met', 'breached')
            group by priority_tier
            """,
        )
    )
    assert set(rates) == set(PROMISED_COMPLIANCE)
    for tier, (low, high) in PROMISED_COMPLIANCE.items():
        assert low <= rates[tier] <= high, (tier, rates[tier])


def test_only_the_slow_team_has_a_sustained_compliance_drop(demo_build: DemoBuild):
    teams = _rows(demo_build.warehouse, "select distinct team from marts.compliance_drops")
    assert teams == [(SLOW_TEAM,)]


def test_the_slow_reps_top_the_violation_ladder(demo_build: DemoBuild):
    ladder = _rows(
        demo_build.warehouse,
        """
        select rep_id, ladder_level
        from marts.rep_violation_ladder
        order by level_rank desc, level_window_breach_count desc, rep_id
        """,
    )
    top = ladder[: len(SLOW_REPS)]
    assert {rep for rep, _ in top} == set(SLOW_REPS)
    assert {level for _, level in top} <= {"repeated", "persistent"}
    calm = [rep for rep, level in ladder if level in ("none", "first")]
    assert len(calm) > len(ladder) / 2  # most reps are at none or first


def test_reps_answer_the_leads_the_warehouse_gave_them(demo_build: DemoBuild):
    (routed, touched, by_sla_rep, never_touched, breached), *_ = _rows(
        demo_build.warehouse,
        """
        select
            count(*),
            count(first_valid_touch_at),
            count(*) filter (where first_touch_rep_id = sla_rep_id),
            count(*) filter (where first_valid_touch_at is null and sla_status = 'breached'),
            count(*) filter (where sla_status = 'breached')
        from marts.lead_sla
        where is_routed
        """,
    )
    assert by_sla_rep / touched > 0.85  # the SLA rep, now and then a backup after escalation
    # a few breaches stay open: nobody ever touched those leads
    assert 0 < never_touched < 0.5 * breached
    assert never_touched / routed < 0.1


def test_a_minority_of_leads_is_escalated(demo_build: DemoBuild):
    (routed, escalated), *_ = _rows(
        demo_build.warehouse,
        """
        select
            (select count(*) from marts.lead_sla where is_routed),
            count(distinct lead_id) filter (where assignment_type like 'escalation_%')
        from marts.lead_assignments
        """,
    )
    assert 0.02 < escalated / routed < 0.25


def test_conversion_still_falls_with_the_response_time(demo_build: DemoBuild):
    rates = dict(
        _rows(
            demo_build.warehouse,
            """
            select speed_group, sum(leads_converted) / sum(leads)
            from marts.conversion_by_response_window
            where speed_group in ('fast', 'slow')
            group by speed_group
            """,
        )
    )
    assert rates["fast"] > 2 * rates["slow"]


def test_the_summary_shows_bands_the_slow_team_and_the_slow_reps(demo_build: DemoBuild):
    text = demo_build.output
    assert "rows of sales_activities" in " ".join(text.split())  # the response step
    assert "SLA compliance against the band" in text
    assert text.count("within") >= len(PROMISED_COMPLIANCE)
    assert f"Teams below band for two complete weeks or more: {SLOW_TEAM}" in text
    ladder = text[text.index("Violation ladder") :]
    assert all(rep in ladder for rep in SLOW_REPS)
    assert "Escalations:" in text
