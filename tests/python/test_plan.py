"""`handoff_datagen.plan`: the reps respond to a handoff plan (the demo's second pass).

Plans are built here on a rebuilt world (`handoff_datagen.rebuild`: reps, accounts, leads, no
events), with deadlines of our own, so every check is about the response model alone: it is
deterministic for a seed, touches land relative to each lead's own deadline, the promised
on-time shares hold per kind of rep, nobody touches a lead nobody owns, and the work does not
grow with Python loops over leads. No warehouse, no dbt: about two seconds.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from handoff_datagen import RESPONSE_TABLES, HandoffPlan, Window, World, rebuild, respond
from handoff_datagen.arrays import NULL
from handoff_datagen.behaviour import (
    ON_TIME,
    SLOW_REP_ON_TIME,
    SLOW_REPS,
    SLOW_TEAM,
    SLOW_TEAM_ON_TIME,
)
from handoff_datagen.plan import respond_to_plan
from handoff_datagen.vocab import TEAMS

END = "2026-03-20"
DAYS = 40
SEED = 11
HOUR = 3600
# acknowledgement windows of our own (the demo reads the seed's from the warehouse)
WINDOWS = {
    (level, tier): Window(minutes, 120 if tier == 1 else None)
    for level in (1, 2)
    for tier, minutes in ((1, 15), (2, 60), (3, 480))
}


@pytest.fixture(scope="module")
def world() -> World:
    return rebuild(leads=30_000, days=DAYS, seed=SEED, end_date=END)


def _working_reps(world: World) -> np.ndarray:
    reps = world.reps
    return np.flatnonzero(reps.is_active & reps.has_calendar & (reps.routing_weight > 0))


def _plan(
    world: World,
    n: int,
    window_minutes: int = 120,
    business: bool = False,
    reps: np.ndarray | None = None,
    seed: int = 0,
) -> HandoffPlan:
    """`n` leads handed off in the first weeks of the span, due `window_minutes` later
    (calendar minutes, or the rep's business minutes when `business`)."""
    rng = np.random.default_rng(seed)
    pool = _working_reps(world) if reps is None else reps
    rep = rng.choice(pool, n)
    handoff = rng.integers(world.start, world.cutoff - 10 * 86_400, n)
    if business:
        due = world.reps.calendar.add_business_seconds(
            rep, handoff, np.full(n, window_minutes * 60), closing=True
        )
    else:
        due = handoff + window_minutes * 60
    return HandoffPlan(
        lead=rng.choice(world.leads.n, n, replace=False),
        tier=rng.integers(1, 4, n),
        handoff_at=handoff,
        due_at=due,
        rep=rep,
        is_business_clock=np.full(n, business),
        windows=WINDOWS,
    )


def _touch_delay(world: World, plan: HandoffPlan, seed: int = SEED) -> np.ndarray:
    """Seconds from handoff to the first valid touch per planned lead (NULL: none)."""
    response = respond_to_plan(seed, world.leads, world.reps, plan, world.cutoff)
    assert np.array_equal(response.lead, plan.lead)  # every lead has an owner here
    touched = response.first_valid_touch != NULL
    return np.where(touched, response.first_valid_touch - plan.handoff_at, NULL)


# --- the plan as the warehouse gives it ---------------------------------------------------------


def test_a_plan_reads_the_warehouse_columns():
    plan = HandoffPlan.from_columns(
        lead_id=np.array(["L00000042", "L00000007"], dtype=object),
        priority_tier=np.array([1, 3]),
        handoff_at=np.array([1_000, 2_000]),
        sla_rep_id=np.array(["R003", None], dtype=object),
        sla_due_at=np.array([8_200, None], dtype=object),
        sla_policy_clock=np.array(["calendar_minutes", None], dtype=object),
        windows=WINDOWS,
    )
    assert plan.lead.tolist() == [41, 6]  # lead index = number - 1
    assert plan.rep.tolist() == [2, NULL]
    assert plan.due_at.tolist() == [8_200, NULL]
    assert plan.is_business_clock.tolist() == [False, False]


def test_a_plan_refuses_ids_and_windows_it_cannot_use(world: World):
    columns = {
        "lead_id": np.array(["X42"], dtype=object),
        "priority_tier": np.array([1]),
        "handoff_at": np.array([0]),
        "sla_rep_id": np.array(["R001"], dtype=object),
        "sla_due_at": np.array([60]),
        "sla_policy_clock": np.array(["business_minutes"], dtype=object),
    }
    with pytest.raises(ValueError, match="not the generator's"):
        HandoffPlan.from_columns(**columns, windows=WINDOWS)
    with pytest.raises(ValueError, match=r"escalation window for \(level, tier\)"):
        HandoffPlan.from_columns(
            **{**columns, "lead_id": np.array(["L00000001"], dtype=object)},
            windows={(1, 1): Window(15, 120)},
        )
    too_far = replace(_plan(world, 5), lead=np.full(5, world.leads.n))
    with pytest.raises(ValueError, match="same arguments"):
        respond_to_plan(SEED, world.leads, world.reps, too_far, world.cutoff)


# --- determinism ---------------------------------------------------------------------------------


def test_the_same_seed_and_plan_give_the_same_response(world: World):
    plan = _plan(world, 3_000)
    first = respond_to_plan(SEED, world.leads, world.reps, plan, world.cutoff)
    again = respond_to_plan(SEED, world.leads, world.reps, plan, world.cutoff)
    other = respond_to_plan(SEED + 1, world.leads, world.reps, plan, world.cutoff)
    assert np.array_equal(first.first_valid_touch, again.first_valid_touch)
    for column, values in first.activities.data.items():
        assert np.array_equal(values, again.activities.data[column]), column
    assert not np.array_equal(first.first_valid_touch, other.first_valid_touch)


def test_respond_writes_the_same_files_for_the_same_arguments(tmp_path: Path):
    arguments = {"leads": 2_000, "days": 20, "seed": 5, "end_date": END}
    small = rebuild(**arguments)
    plan = _plan(small, 400)
    for folder in ("a", "b"):
        rows = respond(tmp_path / folder, plan, **arguments)
        assert list(rows) == list(RESPONSE_TABLES) and all(rows.values())
    digests = [
        {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / f).iterdir()}
        for f in ("a", "b")
    ]
    assert digests[0] == digests[1]
    assert sorted(digests[0]) == sorted(f"{table}.parquet" for table in RESPONSE_TABLES)


# --- touches relative to each lead's own deadline ---------------------------------------------


def test_touches_scale_with_the_planned_window(world: World):
    short = _plan(world, 4_000, window_minutes=60)
    long = replace(short, due_at=short.handoff_at + 240 * 60)
    short_delay, long_delay = _touch_delay(world, short), _touch_delay(world, long)
    on_time = (short_delay != NULL) & (short_delay <= 60 * 60)
    assert on_time.mean() > 0.7
    # the same draw, four times the window: four times the delay (to the floored second)
    assert np.all(np.abs(long_delay[on_time] - 4 * short_delay[on_time]) <= 4)


def test_business_minute_deadlines_are_answered_in_working_time(world: World):
    plan = _plan(world, 4_000, window_minutes=240, business=True)
    delay = _touch_delay(world, plan)
    touched = delay != NULL
    touch_at = plan.handoff_at[touched] + delay[touched]
    assert world.reps.calendar.is_working(plan.rep[touched], touch_at).all()
    met = touch_at <= plan.due_at[touched]
    assert 0.8 < met.sum() / touched.size < 0.99


def test_late_night_calendar_deadlines_missed_are_answered_next_working_day(world: World):
    plan = _plan(world, 4_000, window_minutes=120)
    delay = _touch_delay(world, plan)
    late = (delay != NULL) & (delay > 120 * 60)
    late_at = plan.handoff_at[late] + delay[late]
    assert late.sum() > 20
    assert world.reps.calendar.is_working(plan.rep[late], late_at).all()


# --- the promise: who is on time how often --------------------------------------------------------


def _on_time_share(world: World, reps: np.ndarray, tier: int) -> float:
    plan = replace(_plan(world, 6_000, reps=reps, seed=tier), tier=np.full(6_000, tier))
    delay = _touch_delay(world, plan)
    return float(((delay != NULL) & (delay <= 120 * 60)).mean())


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_each_kind_of_rep_keeps_the_promised_on_time_share(world: World, tier: int):
    reps = world.reps
    working = _working_reps(world)
    slow_rep = np.isin(np.array(reps.ids)[working], SLOW_REPS)
    slow_team = reps.team[working] == TEAMS.index(SLOW_TEAM)
    ordinary = working[~slow_rep & ~slow_team]
    shares = {
        "ordinary": _on_time_share(world, ordinary, tier),
        "slow team": _on_time_share(world, working[slow_team & ~slow_rep], tier),
        "slow reps": _on_time_share(world, working[slow_rep], tier),
    }
    promised = {
        "ordinary": ON_TIME[tier],
        "slow team": SLOW_TEAM_ON_TIME[tier],
        "slow reps": SLOW_REP_ON_TIME[tier],
    }
    for kind, share in shares.items():
        assert abs(share - promised[kind]) < 0.05, (kind, share, promised[kind])
    assert shares["ordinary"] > max(shares["slow team"], shares["slow reps"])


def test_a_lead_nobody_owns_is_never_touched(world: World):
    plan = _plan(world, 1_000)
    unowned = np.arange(plan.lead.size) % 10 == 0
    plan = replace(plan, rep=np.where(unowned, NULL, plan.rep))
    response = respond_to_plan(SEED, world.leads, world.reps, plan, world.cutoff)
    assert not np.isin(response.lead, plan.lead[unowned]).any()
    assert np.isin(plan.lead[~unowned], response.lead).all()


def test_most_leads_are_acknowledged_and_a_few_never_touched(world: World):
    plan = _plan(world, 4_000, window_minutes=240, business=True)
    response = respond_to_plan(SEED, world.leads, world.reps, plan, world.cutoff)
    acknowledged = np.unique(response.acknowledgements.data["lead_num"] - 1)
    assert np.isin(plan.lead, acknowledged).mean() > 0.9
    untouched = (response.first_valid_touch == NULL).mean()
    assert 0.005 < untouched < 0.06


# --- no per-lead Python loops -----------------------------------------------------------------


def _traced_lines(world: World, plan: HandoffPlan) -> int:
    lines = 0

    def tracer(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        respond_to_plan(SEED, world.leads, world.reps, plan, world.cutoff)
    finally:
        sys.settrace(None)
    return lines


def test_the_work_in_python_does_not_grow_with_the_plan(world: World):
    """Python lines executed for 500 and for 10,000 leads: the same (numpy does the rest)."""
    small, large = (
        _traced_lines(world, _plan(world, 500)),
        _traced_lines(world, _plan(world, 10_000)),
    )
    assert large <= small * 1.05, (small, large)
