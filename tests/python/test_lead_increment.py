"""Which leads a build rescores (macros/handoff/lead_increment.sql), on a copy of the built
fixtures: the scoring models alone are built again, as of another instant, and their build
stamps say which leads were rebuilt. (That the rebuilt rows equal a full build's is
test_incremental.py's part.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import FIXTURES_AS_OF, SCORING_MODELS
from handoff.build import run_dbt_build
from handoff.warehouse import connect

pytestmark = pytest.mark.dbt


def rebuild_scoring(warehouse: Path, as_of: datetime) -> None:
    status = run_dbt_build(
        as_of=as_of.strftime("%Y-%m-%d %H:%M:%S"),
        select=SCORING_MODELS,
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

    rebuild_scoring(copy_warehouse, earlier)
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
    rebuild_scoring(copy_warehouse, as_of)
    for model in ("int_lead_events_scored", "int_lead_score_moments"):
        leads = stamps(copy_warehouse, model)
        assert leads.get(earlier), f"{model}: leads with nothing new keep their rows"
        assert leads.get(as_of) and leads[as_of] <= arriving, model
