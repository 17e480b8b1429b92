"""Sales' response to hot leads: assignment, touches (sales_activities), acknowledgements.

A hot lead goes to its account owner or to a rep of the team its country / size routes to
(weighted by routing_weight; a rep on time off is covered by the backup). Most get a human
touch after a heavy-tailed delay counted in the rep's working time (median tens of minutes,
a tail into days); some are answered off-hours, ~30-40 % never. Marketing automation sends
an instant email to many. Follow-up touches (and some replies from the lead) come later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff_datagen.accounts import Companies
from handoff_datagen.arrays import (
    NULL,
    categorical,
    grouped_cumsum,
    lognormal_median,
    min_by_owner,
    owners,
    stream,
)
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.engagement import TIER_INTENT, Engagement
from handoff_datagen.leads import COMPETITOR, STUDENT, Leads
from handoff_datagen.reps import Reps, apply_time_off, weighted_pick
from handoff_datagen.vocab import (
    ACTIVITY_CHANNELS,
    CALL_OUTCOMES,
    DIRECTIONS,
    UNKNOWN_ACTIVITY_CHANNEL,
)
from handoff_datagen.writer import ID_PATTERNS, Table, ts

MINUTE, HOUR = 60, 3600
EMAIL, CALL, LINKEDIN, SMS, MEETING = range(5)
CONNECTED, VOICEMAIL, NO_ANSWER = range(3)
OUTBOUND, INBOUND = range(2)
# tier -> (probability of a human touch, median delay in business minutes)
RESPONSE = {1: (0.72, 8.0), 2: (0.65, 45.0), 3: (0.45, 240.0)}
DELAY_SIGMA = 1.6
# share of leads turning hot outside the rep's hours that someone answers that night, by tier
# (the contract's Tier 1 off-hours SLA is 120 calendar minutes)
OFF_HOURS_ANSWERED = {1: 0.55, 2: 0.2, 3: 0.1}


@dataclass
class Response:
    lead: np.ndarray  # lead index of every routed hot lead
    hot_at: np.ndarray
    tier: np.ndarray
    rep: np.ndarray  # the rep who received the lead
    first_touch: np.ndarray  # first human outbound touch, NULL none
    first_valid_touch: np.ndarray  # first touch valid per the contract's defaults, NULL none
    activities: Table
    acknowledgements: Table


def backup_of(reps: Reps, rep: np.ndarray) -> np.ndarray:
    """Who covers for `rep`: their backup, or themselves when they have none."""
    backup = reps.backup[rep]
    return np.where(backup == NULL, rep, backup)


def _rows(**columns: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.asarray(v) for k, v in columns.items()}


def build_response(
    seed: int, leads: Leads, engagement: Engagement, reps: Reps, companies: Companies, cutoff: int
) -> Response:
    rng = stream(seed, "sales")
    hot = (engagement.tier > 0) & (leads.team != NULL)  # unserved countries are not worked
    lead = np.flatnonzero(hot)
    h = lead.size
    hot_at = engagement.hot_at[lead]
    tier = engagement.tier[lead]

    # --- who gets it ---------------------------------------------------------------------------
    rep = weighted_pick(rng, reps, leads.team[lead])
    account = leads.account[lead]
    owner = np.where(account != NULL, companies.owner[np.maximum(account, 0)], NULL)
    owner_ok = (
        (owner != NULL)
        & reps.is_active[np.maximum(owner, 0)]
        & reps.has_calendar[np.maximum(owner, 0)]
    )
    rep = np.where(owner_ok, owner, rep)
    rep = apply_time_off(reps, rep, hot_at)
    if (rep == NULL).any():  # every served team has routable reps
        raise AssertionError("a hot lead found no rep")

    # --- first human touch ---------------------------------------------------------------------
    p_touch = np.select([tier == t for t in RESPONSE], [v[0] for v in RESPONSE.values()])
    persona = leads.persona[lead]
    p_touch = np.where((persona == STUDENT) | (persona == COMPETITOR), p_touch * 0.5, p_touch)
    touched = rng.random(h) < p_touch
    median = np.select([tier == t for t in RESPONSE], [v[1] for v in RESPONSE.values()])
    speed = lognormal_median(rng, 1.0, 0.5, len(reps.team))  # some reps are slower
    business_delay = lognormal_median(rng, median * MINUTE, DELAY_SIGMA, h) * speed[rep]
    touch_at = reps.calendar.add_business_seconds(rep, hot_at, business_delay.astype(np.int64))
    answer_share = np.select(
        [tier == t for t in OFF_HOURS_ANSWERED], list(OFF_HOURS_ANSWERED.values())
    )
    off_hours = ~reps.calendar.is_working(rep, hot_at) & (rng.random(h) < answer_share)
    calendar_delay = lognormal_median(rng, 40.0 * MINUTE, 1.2, h).astype(np.int64)
    touch_at = np.where(off_hours, hot_at + calendar_delay, touch_at) + 1

    first = np.flatnonzero(touched)
    activities, first_touch, first_valid = touch_activities(
        rng, seed, leads, reps, lead, rep, hot_at, tier, first, touch_at[first], rep[first], cutoff
    )
    ack_at, ack_by = _acknowledgement_times(rng, reps, rep, hot_at, first_touch)
    acked = np.flatnonzero(ack_at != NULL)
    acknowledgements = acknowledgements_table(
        seed, lead, acked, ack_by[acked], ack_at[acked], cutoff, leads
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


def touch_activities(
    rng: np.random.Generator,
    seed: int,
    leads: Leads,
    reps: Reps,
    lead: np.ndarray,
    rep: np.ndarray,
    hot_at: np.ndarray,
    tier: np.ndarray,
    first: np.ndarray,
    first_at: np.ndarray,
    first_rep: np.ndarray,
    cutoff: int,
    valid_first: bool = False,
    extra: tuple[dict[str, np.ndarray], ...] = (),
) -> tuple[Table, np.ndarray, np.ndarray]:
    """The sales_activities table around the first human touches of the routed leads.

    `first` indexes the leads (into `lead`) touched by a human, at `first_at` by `first_rep`;
    `valid_first` makes those touches valid ones (the plan's model decides when the first
    *valid* touch happens). Around them: an instant automated email for many leads (never a
    valid touch), follow-ups a few working hours to days apart (some covered by the backup),
    a few replies from the lead, and any `extra` rows. Returns the table and, per lead, the
    first human touch and the first valid touch (NULL none).
    """
    h = lead.size
    parts: list[dict[str, np.ndarray]] = list(extra)
    # marketing automation: an instant, templated email for many hot leads
    auto = np.flatnonzero(rng.random(h) < 0.35)
    parts.append(
        _rows(
            hot_index=auto,
            rep=np.where(rng.random(auto.size) < 0.7, rep[auto], NULL),
            at=hot_at[auto] + rng.integers(20, 240, auto.size),
            channel=np.full(auto.size, EMAIL),
            direction=np.full(auto.size, OUTBOUND),
            is_automated=np.ones(auto.size, dtype=np.int8),
            is_personalized=np.zeros(auto.size, dtype=np.int8),
            call_outcome=np.full(auto.size, NULL),
        )
    )
    touch = valid_touches if valid_first else _touches
    parts.append(touch(rng, first, first_rep, first_at, follow_up=False))

    # follow-ups: more touches a few working hours to days apart, a few replies from the lead
    follow_count = rng.poisson(np.where(tier[first] == TIER_INTENT, 2.2, 1.2))
    owner_index = owners(follow_count)
    gaps = lognormal_median(rng, 6.0 * HOUR, 0.9, owner_index.size)
    follow_rep = first_rep[owner_index]
    follow_at = reps.calendar.add_business_seconds(
        follow_rep,
        first_at[owner_index],
        grouped_cumsum(gaps, follow_count).astype(np.int64) + MINUTE,
    )
    covered = rng.random(owner_index.size) < 0.07
    follow_rep = np.where(covered, backup_of(reps, follow_rep), follow_rep)
    parts.append(_touches(rng, first[owner_index], follow_rep, follow_at, follow_up=True))

    acts = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    keep = acts["at"] < cutoff
    acts = {k: v[keep] for k, v in acts.items()}
    order = np.lexsort((acts["hot_index"], acts["at"]))
    acts = {k: v[order] for k, v in acts.items()}

    human = (acts["direction"] == OUTBOUND) & (acts["is_automated"] == 0)
    valid = _is_valid(acts)
    first_touch = min_by_owner(acts["hot_index"][human], acts["at"][human], h)
    first_valid = min_by_owner(acts["hot_index"][valid], acts["at"][valid], h)
    return _activities_table(seed, acts, lead, leads), first_touch, first_valid


def _is_valid(acts: dict[str, np.ndarray]) -> np.ndarray:
    """The contract's default valid first touch (seed valid_touch_rules), to measure the data."""
    return (acts["direction"] == OUTBOUND) & (
        ((acts["channel"] == EMAIL) & (acts["is_personalized"] == 1) & (acts["is_automated"] == 0))
        | ((acts["channel"] == CALL) & np.isin(acts["call_outcome"], [CONNECTED, VOICEMAIL]))
        | ((acts["channel"] == LINKEDIN) & (acts["is_personalized"] == 1))
        | (acts["channel"] == MEETING)
    )


def valid_touches(
    rng: np.random.Generator,
    hot_index: np.ndarray,
    rep: np.ndarray,
    at: np.ndarray,
    follow_up: bool = False,
) -> dict[str, np.ndarray]:
    """First touches that are valid: a personalised email, a call answered or left on voicemail,
    a personalised LinkedIn message, now and then a meeting booked straight away."""
    k = hot_index.size
    channel = np.array([EMAIL, CALL, LINKEDIN, MEETING])[
        categorical(rng, k, [0.4, 0.45, 0.1, 0.05])
    ]
    outcome = np.where(channel == CALL, np.where(rng.random(k) < 0.35, CONNECTED, VOICEMAIL), NULL)
    return _rows(
        hot_index=hot_index,
        rep=rep,
        at=at,
        channel=channel,
        direction=np.full(k, OUTBOUND),
        is_automated=np.zeros(k, dtype=np.int8),
        is_personalized=np.where(channel == CALL, NULL, 1).astype(np.int8),
        call_outcome=outcome,
    )


def attempts(
    rng: np.random.Generator, hot_index: np.ndarray, rep: np.ndarray, at: np.ndarray
) -> dict[str, np.ndarray]:
    """Touches that are not valid first touches: an unanswered call, a templated email."""
    k = hot_index.size
    call = rng.random(k) < 0.7
    return _rows(
        hot_index=hot_index,
        rep=rep,
        at=at,
        channel=np.where(call, CALL, EMAIL),
        direction=np.full(k, OUTBOUND),
        is_automated=np.zeros(k, dtype=np.int8),
        is_personalized=np.where(call, NULL, 0).astype(np.int8),
        call_outcome=np.where(call, NO_ANSWER, NULL),
    )


def _touches(
    rng: np.random.Generator,
    hot_index: np.ndarray,
    rep: np.ndarray,
    at: np.ndarray,
    follow_up: bool,
) -> dict[str, np.ndarray]:
    k = hot_index.size
    weights = [0.42, 0.33, 0.1, 0.05, 0.1] if follow_up else [0.4, 0.45, 0.1, 0.05, 0.0]
    channel = categorical(rng, k, weights).astype(np.int64)
    direction = np.full(k, OUTBOUND)
    if follow_up:  # a few replies from the lead
        reply = rng.random(k) < 0.1
        direction[reply] = INBOUND
        channel[reply] = np.where(rng.random(int(reply.sum())) < 0.7, EMAIL, CALL)
    outbound = direction == OUTBOUND
    automated = np.zeros(k, dtype=np.int8)
    automated[(channel == SMS) & (rng.random(k) < 0.3)] = 1
    automated[(channel == EMAIL) & outbound & (rng.random(k) < (0.12 if follow_up else 0.0))] = 1
    personalized = np.full(k, NULL, dtype=np.int8)
    email = (channel == EMAIL) & outbound
    personalized[email] = (rng.random(int(email.sum())) < 0.78).astype(np.int8)
    personalized[email & (automated == 1)] = 0
    linkedin = channel == LINKEDIN
    personalized[linkedin] = (rng.random(int(linkedin.sum())) < 0.7).astype(np.int8)
    personalized[channel == SMS] = 0
    outcome = np.full(k, NULL, dtype=np.int64)
    calls = channel == CALL
    outcome[calls] = categorical(rng, int(calls.sum()), [0.22, 0.43, 0.35])
    outcome[calls & ~outbound] = CONNECTED
    return _rows(
        hot_index=hot_index,
        rep=rep,
        at=at,
        channel=channel,
        direction=direction,
        is_automated=automated,
        is_personalized=personalized,
        call_outcome=outcome,
    )


def _activities_table(seed: int, acts: dict, lead: np.ndarray, leads: Leads) -> Table:
    rep = acts["rep"]
    data = {
        "activity_num": np.arange(1, acts["at"].size + 1, dtype=np.int64),
        "lead_num": lead[acts["hot_index"]].astype(np.int64) + 1,
        "rep_num": np.where(rep == NULL, NULL, rep + 1),
        "occurred": acts["at"].astype(np.int64),
        "channel": acts["channel"].astype(np.int64),
        "direction": acts["direction"].astype(np.int64),
        "is_automated": acts["is_automated"].astype(np.int8),
        "is_personalized": acts["is_personalized"].astype(np.int8),
        "call_outcome": acts["call_outcome"].astype(np.int64),
    }
    bad = BadRows(stream(seed, "bad_rows:sales_activities"), data)
    fresh = bad.fresh("activity_num")
    bad.add(activity_num=fresh, occurred=None)
    bad.add(activity_num=fresh, occurred=bad.unparseable)
    bad.add()  # duplicate key
    bad.add(activity_num=fresh, lead_num=lambda copy, k: leads.orphans(bad.rng, k))
    bad.add(activity_num=fresh, channel=len(ACTIVITY_CHANNELS))  # 'fax'
    return Table(
        name="sales_activities",
        data=bad.result(),
        vocab={
            "channel": (*ACTIVITY_CHANNELS, UNKNOWN_ACTIVITY_CHANNEL),
            "direction": DIRECTIONS,
            "call_outcome": CALL_OUTCOMES,
        },
        flags=frozenset({"is_automated", "is_personalized"}),
        ids=ID_PATTERNS,
        select=[
            "printf('A%09d', activity_num) as activity_id",
            "lead_num as lead_id",
            "rep_num as rep_id",
            f"{ts('occurred')} as occurred_at",
            "channel as channel",
            "direction as direction",
            "is_automated as is_automated",
            "is_personalized as is_personalized",
            "call_outcome as call_outcome",
        ],
    )


def _acknowledgement_times(
    rng: np.random.Generator,
    reps: Reps,
    rep: np.ndarray,
    hot_at: np.ndarray,
    first_touch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Most hot leads are acknowledged minutes to hours (working time) after they got hot.

    Per lead: when (NULL never) and by whom (the receiver, now and then the backup).
    """
    h = rep.size
    touched = first_touch != NULL
    acked = rng.random(h) < np.where(touched, 0.88, 0.55)
    delay = lognormal_median(rng, 10.0 * MINUTE, 1.5, h).astype(np.int64)
    at = reps.calendar.add_business_seconds(rep, hot_at, delay) + 1
    at = np.where(touched, np.minimum(at, first_touch), at)
    by = np.where(rng.random(h) < 0.06, backup_of(reps, rep), rep)
    return np.where(acked, at, NULL), by


def acknowledgements_table(
    seed: int,
    lead: np.ndarray,
    hot_index: np.ndarray,
    rep: np.ndarray,
    at: np.ndarray,
    cutoff: int,
    leads: Leads,
) -> Table:
    """lead_acknowledgements: one row per (lead `lead[hot_index]`, rep, time) before `cutoff`."""
    keep = np.flatnonzero(at < cutoff)
    keep = keep[np.lexsort((hot_index[keep], at[keep]))]
    data = {
        "lead_num": lead[hot_index[keep]].astype(np.int64) + 1,
        "rep_num": rep[keep].astype(np.int64) + 1,
        "acknowledged": at[keep].astype(np.int64),
    }
    bad = BadRows(stream(seed, "bad_rows:lead_acknowledgements"), data)
    bad.add(rep_num=None)
    bad.add(acknowledged=bad.unparseable)
    bad.add(lead_num=lambda copy, k: leads.orphans(bad.rng, k))
    return Table(
        name="lead_acknowledgements",
        data=bad.result(),
        ids=ID_PATTERNS,
        select=[
            "lead_num as lead_id",
            "rep_num as rep_id",
            f"{ts('acknowledged')} as acknowledged_at",
        ],
    )
