"""Which leads a build rebuilds (macros/handoff/lead_increment.sql, sla_increment.sql), on a
copy of the built fixtures: the scoring models or the SLA facts alone are built again, as of
another instant, and their build stamps say which leads were rebuilt. (That the rebuilt rows
equal a full build's is test_incremental.py's part.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import FIXTURES_AS_OF, SCORING_MODELS
from handoff.build import run_dbt_build
from handoff.warehouse import connect

pytestmark = pytest.mark.dbt


def rebuild(warehouse: Path, as_of: datetime, models: Sequence[str] = SCORING_MODELS) -> None:
    """Build the models again (no tests) as of as_of."""
    status = run_dbt_build(
        as_of=as_of.strftime("%Y-%m-%d %H:%M:%S"),
        select=models,
        dbt_args=["--exclude-resource-type", "test"],
        database=warehouse,
    )
    assert status == 0


def stamps(warehouse: Path, model: str) -> dict[datetime, set[str]]:
    """The leads of a scoring table by the as_of of the build that last wrote them."""
    with connect(warehouse, read_only=True) as connection:
        rows = connection.execute(
            f"select built_as_of, lead_id from intermediate.{model}"
        ).fetchall()
    leads: dict[datetime, set[str]] = {}
    for built_as_of, lead_id in rows:
        leads.setdefault(built_as_of, set()).add(lead_id)
    return leads


def arriving_leads(warehouse: Path, after: datetime, until: datetime) -> set[str]:
    """Leads with an event, their creation or an enrichment in (after, until]."""
    with connect(warehouse, read_only=True) as connection:
        rows = connection.execute(
            """
            select lead_id from staging.stg_marketing__events
            where occurred_at > ? and occurred_at <= ?
            union
            select lead_id from staging.stg_crm__leads where created_at > ? and created_at <= ?
            union
            select lead_id from staging.stg_enrichment__lead_enrichment
            where enriched_at > ? and enriched_at <= ?
            """,
            [after, until] * 3,
        ).fetchall()
    return {lead_id for (lead_id,) in rows}


def test_as_of_back_rescores_every_lead_and_forward_only_the_leads_it_brings_something_to(
    copy_warehouse: Path,
) -> None:
    as_of = datetime.fromisoformat(FIXTURES_AS_OF)
    earlier = as_of - timedelta(days=10)

    rebuild(copy_warehouse, earlier)
    for model in SCORING_MODELS:
        assert set(stamps(copy_warehouse, model)) <= {earlier}, model
    with connect(copy_warehouse, read_only=True) as connection:
        (late_events,) = connection.execute(
            "select count(*) from intermediate.int_lead_events_scored where occurred_at > ?",
            [earlier],
        ).fetchone()
    assert late_events == 0, "events after the earlier as_of are gone"

    arriving = arriving_leads(copy_warehouse, earlier, as_of)
    assert arriving, "the fixtures have leads with events in the last ten days"
    rebuild(copy_warehouse, as_of)
    for model in ("int_lead_events_scored", "int_lead_score_moments"):
        leads = stamps(copy_warehouse, model)
        assert leads.get(earlier), f"{model}: leads with nothing new keep their rows"
        assert leads.get(as_of) and leads[as_of] <= arriving, model


# ---------- the SLA facts (macros/handoff/sla_increment.sql)

SLA_FACTS_BUILD = [
    "base_crm__sales_activities",
    "int_sales_activities_classified",
    "int_lead_sla_facts_computed",
]


def sla_rows(warehouse: Path) -> dict[str, tuple]:
    """lead id -> (built_as_of, status judged at the last as_of, first valid touch)."""
    with connect(warehouse, read_only=True) as connection:
        rows = connection.execute(
            """
            select
                facts.lead_id, facts.built_as_of, evaluated.sla_status, facts.first_valid_touch_at
            from intermediate.int_lead_sla_facts_computed as facts
            inner join intermediate.int_leads_sla_evaluated as evaluated
                on facts.lead_id = evaluated.lead_id
            """
        ).fetchall()
    return {lead_id: tuple(rest) for lead_id, *rest in rows}


def test_a_late_loaded_touch_turns_a_breach_into_met_and_rebuilds_that_lead_only(
    copy_warehouse: Path,
) -> None:
    as_of = datetime.fromisoformat(FIXTURES_AS_OF)
    with connect(copy_warehouse, read_only=True) as connection:
        lead_id, handoff_at, rep_id = connection.execute(
            """
            select lead_id, handoff_at, sla_rep_id from marts.lead_sla
            where
                sla_status = 'breached' and first_valid_touch_at is null and sla_rep_id is not null
            order by lead_id limit 1
            """
        ).fetchone()
        (no_deadline,) = connection.execute(
            "select count(*) from marts.lead_sla where sla_due_at is null"
        ).fetchone()
    # a meeting at handoff, logged in the CRM in time but loaded only now
    with connect(copy_warehouse) as connection:
        connection.execute(
            """
            insert into raw.sales_activities
                (activity_id, lead_id, rep_id, occurred_at, channel, _loaded_at)
            values ('A_LATE_TOUCH', ?, ?, ?, 'meeting', current_timestamp)
            """,
            [lead_id, rep_id, handoff_at.strftime("%Y-%m-%d %H:%M:%S")],
        )
    later = as_of + timedelta(seconds=1)
    rebuild(copy_warehouse, later, SLA_FACTS_BUILD)

    rows = sla_rows(copy_warehouse)
    assert rows[lead_id][1:] == ("met", handoff_at)
    rebuilt = {lead for lead, (built_as_of, *_) in rows.items() if built_as_of == later}
    assert lead_id in rebuilt
    # besides it, only the leads without a deadline yet are computed again
    assert len(rebuilt) == 1 + no_deadline, sorted(rebuilt)
    assert {built_as_of for built_as_of, *_ in rows.values()} == {as_of, later}


def test_a_calendar_change_rebuilds_every_leads_sla_facts(copy_warehouse: Path) -> None:
    as_of = datetime.fromisoformat(FIXTURES_AS_OF)
    with connect(copy_warehouse) as connection:
        connection.execute(
            """
            insert into raw.holidays (holiday_calendar, holiday_date, holiday_name, _loaded_at)
            values ('US', '2026-12-31', 'Company day', current_timestamp)
            """
        )
    later = as_of + timedelta(seconds=1)
    rebuild(copy_warehouse, later, SLA_FACTS_BUILD)
    rows = sla_rows(copy_warehouse)
    assert rows and {built_as_of for built_as_of, *_ in rows.values()} == {later}
