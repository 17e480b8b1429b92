"""The reps respond to a handoff plan: what the warehouse handed them, lead by lead.

`handoff demo` builds the warehouse once, reads per handed-off lead its tier, `handoff_at`,
SLA rep and `sla_due_at` (`HandoffPlan`), and regenerates the sales side from it
(`respond_to_plan`): the SLA rep makes the first valid touch at a fraction of the lead's own
SLA window, as `behaviour` sets per rep and tier, so compliance, the violation ladder and the
escalations show a believable team. Everything is vectorised over the plan's leads.

Per routed lead (a lead nobody owns is left untouched: it is the demo's visible failure):
- the first valid touch at `fraction x window` after handoff; the window is the rep's business
  time from handoff to the deadline on their calendar when the deadline counts business
  minutes, else calendar time; a late touch of a calendar-minute deadline (a Tier 1 lead
  handed off at night) comes in the rep's working time after it; a share of the late leads is
  never touched; before some touches an invalid attempt (an unanswered call, a templated
  email), which the warehouse must not count;
- an acknowledgement by the SLA rep (the holder) inside or after the tier's escalation window
  (seed `escalation_policies`, level 1, read from the warehouse and computed on the rep's
  calendar as the seed says: business minutes, never later than the off-hours window inside
  working time, the off-hours minutes outside); a lead neither acknowledged nor touched by then
  goes to the backup, who acknowledges most such leads inside their own window (level 2) and
  often makes the first touch;
- automated emails and follow-ups as in the standalone model (`sales.touch_activities`).
This is the generator's imitation of people reacting to deadlines; the warehouse alone
decides what was met, breached or escalated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff_datagen.arrays import NULL, lognormal_median, stream
from handoff_datagen.behaviour import (
    ACK_MISSING_OF_LATE,
    BACKUP_ACK,
    BACKUP_TOUCHES_ESCALATED,
    MANAGER_ACK,
    NEVER_TOUCHED_OF_LATE,
    TIERS,
    WINDOW_SIGMA,
    ack_quality,
    median_fraction,
    rep_quality,
)
from handoff_datagen.leads import Leads
from handoff_datagen.reps import Reps
from handoff_datagen.sales import (
    Response,
    acknowledgements_table,
    attempts,
    backup_of,
    touch_activities,
)
from handoff_datagen.writer import ID_PATTERNS

MINUTE = 60
ATTEMPT_SHARE = 0.3  # touched leads that first got an attempt that is not a valid touch
LATE_BUSINESS_MINUTES = 30.0  # median business minutes past a missed calendar deadline


@dataclass(frozen=True)
class Window:
    """An acknowledgement window of seed escalation_policies (one level and tier)."""

    in_hours_business_minutes: int
    off_hours_calendar_minutes: int | None = None


@dataclass(frozen=True)
class HandoffPlan:
    """What the warehouse handed the reps, one entry per handed-off lead."""

    lead: np.ndarray  # lead index (lead number - 1)
    tier: np.ndarray  # priority tier 1-3
    handoff_at: np.ndarray  # epoch seconds
    due_at: np.ndarray  # epoch seconds of sla_due_at, NULL none
    rep: np.ndarray  # SLA rep index, NULL: nobody owns the lead
    is_business_clock: np.ndarray  # bool: the deadline counts the rep's business minutes
    # (escalation level, tier) -> the acknowledgement window of that step
    windows: dict[tuple[int, int], Window]

    @property
    def is_owned(self) -> np.ndarray:
        """Per lead: it has an SLA rep and a deadline, so someone will answer it."""
        return (self.rep != NULL) & (self.due_at != NULL)

    @classmethod
    def from_columns(
        cls,
        lead_id,
        priority_tier,
        handoff_at,
        sla_rep_id,
        sla_due_at,
        sla_policy_clock,
        windows: dict[tuple[int, int], Window],
    ) -> HandoffPlan:
        """A plan from the warehouse's columns: ids as written (`L00000042`, `R003`, None for
        no rep), times as epoch seconds (NULL / None for none), the clock as
        `int_leads_sla_evaluated.sla_policy_clock` names it."""
        missing = [
            (level, tier) for level in (1, 2) for tier in TIERS if (level, tier) not in windows
        ]
        if missing:
            raise ValueError(f"the plan needs an escalation window for (level, tier) {missing}")
        return cls(
            lead=_numbers(lead_id, ID_PATTERNS["lead_num"]) - 1,
            tier=np.asarray(priority_tier, dtype=np.int64),
            handoff_at=_seconds(handoff_at),
            due_at=_seconds(sla_due_at),
            rep=np.where(
                (rep := _numbers(sla_rep_id, ID_PATTERNS["rep_num"])) == NULL, NULL, rep - 1
            ),
            is_business_clock=np.asarray(sla_policy_clock, dtype=object) == "business_minutes",
            windows=dict(windows),
        )


def _numbers(values, pattern: str) -> np.ndarray:
    """'L00000042' -> 42 for the generator's id pattern (`prefix%0Nd`); None -> NULL."""
    prefix = pattern.split("%", 1)[0]
    text = np.asarray(values, dtype=object)
    missing = np.equal(text, None)
    filled = np.where(missing, prefix + "0", text).astype(str)
    if not np.char.startswith(filled, prefix).all():
        raise ValueError(f"the plan names ids that are not the generator's ({pattern})")
    digits = np.char.replace(filled, prefix, "", count=1)
    return np.where(missing, NULL, digits.astype(np.int64))


def _seconds(values) -> np.ndarray:
    text = np.asarray(values, dtype=object)
    return np.where(np.equal(text, None), NULL, text).astype(np.int64)


def window_point(
    reps: Reps,
    rep: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    business: np.ndarray,
    fraction: np.ndarray,
) -> np.ndarray:
    """The instant `fraction` of the way from `start` to `end`: in the rep's business time
    where `business` (and the rep has working time in between), else in calendar time.
    Fractions above 1 lie past `end`."""
    clock = reps.calendar
    begin = clock.to_business(rep, start)
    width = clock.to_business(rep, end) - begin
    on_business = business & (width > 0)
    in_business = clock.from_business(rep, begin + np.floor(fraction * width).astype(np.int64))
    in_calendar = start + np.floor(fraction * (end - start)).astype(np.int64)
    return np.where(on_business, in_business, in_calendar)


def window_end(
    reps: Reps, rep: np.ndarray, start: np.ndarray, tier: np.ndarray, windows, level: int
) -> tuple[np.ndarray, np.ndarray]:
    """When the acknowledgement window of `level` ends for a lead held by `rep` from `start`,
    and whether it counted business minutes (seed escalation_policies, as the warehouse reads
    it: business minutes inside working time, never later than the off-hours minutes; the
    off-hours minutes outside; business minutes from the next opening when a tier has none)."""
    business_minutes = np.zeros(1 + len(TIERS), dtype=np.int64)
    calendar_minutes = np.full(1 + len(TIERS), NULL, dtype=np.int64)
    for t in TIERS:
        window = windows[(level, t)]
        business_minutes[t] = window.in_hours_business_minutes
        if window.off_hours_calendar_minutes is not None:
            calendar_minutes[t] = window.off_hours_calendar_minutes
    calendar = calendar_minutes[tier]
    has_calendar = calendar != NULL
    inside = reps.calendar.is_working(rep, start)
    by_business = reps.calendar.add_business_seconds(
        rep, start, business_minutes[tier] * MINUTE, closing=True
    )
    by_calendar = start + calendar * MINUTE
    use_calendar = has_calendar & (~inside | (by_calendar < by_business))
    return np.where(use_calendar, by_calendar, by_business), ~use_calendar


def respond_to_plan(
    seed: int, leads: Leads, reps: Reps, plan: HandoffPlan, cutoff: int
) -> Response:
    """The sales response (touches, acknowledgements) of the reps to the warehouse's plan."""
    if plan.lead.size and (plan.lead.min() < 0 or plan.lead.max() >= leads.n):
        raise ValueError("the plan names leads this data set does not have: same arguments?")
    if plan.rep.size and plan.rep.max() >= len(reps.team):
        raise ValueError("the plan names reps this data set does not have: same arguments?")
    rng = stream(seed, "sales:plan")
    take = np.flatnonzero(plan.is_owned)
    lead, tier, rep = plan.lead[take], plan.tier[take], plan.rep[take]
    hot_at, due_at = plan.handoff_at[take], plan.due_at[take]
    business = plan.is_business_clock[take]
    h = lead.size

    # --- the first valid touch: a fraction of the lead's own SLA window ------------------------
    quality = rep_quality(reps.team, reps.ids, stream(seed, "behaviour"))
    fraction = lognormal_median(rng, median_fraction(quality[rep, tier]), WINDOW_SIGMA, h)
    late = fraction > 1
    touch_at = window_point(reps, rep, hot_at, due_at, business, fraction)
    # a calendar-minute deadline (a Tier 1 lead at night) that is missed gets its touch in the
    # rep's working time after the deadline
    after_deadline = reps.calendar.add_business_seconds(
        rep, due_at, lognormal_median(rng, LATE_BUSINESS_MINUTES * MINUTE, 1.0, h).astype(np.int64)
    )
    touch_at = np.where(late & ~business, after_deadline, touch_at)
    touched = ~(late & (rng.random(h) < NEVER_TOUCHED_OF_LATE))

    # --- acknowledgement by the holder, escalation to the backup -------------------------------
    ack_end, ack_business = window_end(reps, rep, hot_at, tier, plan.windows, level=1)
    g = lognormal_median(
        rng, median_fraction(ack_quality(reps.team, reps.ids)[rep]), WINDOW_SIGMA, h
    )
    ack_at = window_point(reps, rep, hot_at, ack_end, ack_business, g)
    acked = ~((g > 1) & (rng.random(h) < ACK_MISSING_OF_LATE))
    ack_at = np.where(touched & (~acked | (touch_at < ack_at)), touch_at, ack_at)
    acked |= touched
    picked_up = np.where(acked, ack_at, np.iinfo(np.int64).max)
    escalated = picked_up > ack_end
    backup = backup_of(reps, rep)
    backup_end, backup_business = window_end(reps, backup, ack_end, tier, plan.windows, level=2)
    backup_ack_at = window_point(
        reps, backup, ack_end, backup_end, backup_business, lognormal_median(rng, 0.3, 1.0, h)
    )
    backup_acks = escalated & (rng.random(h) < BACKUP_ACK)
    # not picked up by the backup either: the manager receives it and most often answers
    manager = np.where(reps.manager[rep] == NULL, backup, reps.manager[rep])
    manager_end, manager_business = window_end(
        reps, manager, backup_end, tier, plan.windows, level=2
    )
    manager_ack_at = window_point(
        reps, manager, backup_end, manager_end, manager_business, lognormal_median(rng, 0.4, 1.0, h)
    )
    manager_acks = escalated & ~backup_acks & (rng.random(h) < MANAGER_ACK)
    toucher = np.where(
        escalated & (touch_at > ack_end) & (rng.random(h) < BACKUP_TOUCHES_ESCALATED), backup, rep
    )

    first = np.flatnonzero(touched)
    tried = first[rng.random(first.size) < ATTEMPT_SHARE]
    attempt_rows = attempts(
        rng, tried, toucher[tried], hot_at[tried] + (touch_at[tried] - hot_at[tried]) // 2
    )
    activities, first_touch, first_valid = touch_activities(
        rng,
        seed,
        leads,
        reps,
        lead,
        rep,
        hot_at,
        tier,
        first,
        touch_at[first],
        toucher[first],
        cutoff,
        valid_first=True,
        extra=(attempt_rows,),
    )
    holder, by_backup, by_manager = (np.flatnonzero(m) for m in (acked, backup_acks, manager_acks))
    acknowledgements = acknowledgements_table(
        seed,
        lead,
        np.concatenate([holder, by_backup, by_manager]),
        np.concatenate([rep[holder], backup[by_backup], manager[by_manager]]),
        np.concatenate([ack_at[holder], backup_ack_at[by_backup], manager_ack_at[by_manager]]),
        cutoff,
        leads,
    )
    return Response(
        lead=lead,
        hot_at=hot_at,
        tier=tier,
        rep=rep,
        first_touch=first_touch,
        first_valid_touch=first_valid,
        activities=activities,
        acknowledgements=acknowledgements,
    )
