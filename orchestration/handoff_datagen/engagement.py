"""Marketing events (~20 per lead, heavy-tailed) and the moment a lead got hot.

Per lead: an engagement propensity (log-normal) sets how many events it has; events come
in sessions (bursts of a few events minutes apart) separated by hours to days. The first
event happens at `created_at` and is the one that created the lead (a form, a download, a
webinar registration, ...). A minority of leads show explicit intent (demo request, pricing
inquiry, trial, contact sales). Events after the end of the span have not happened yet.

All of it is vectorised over the ragged "events of lead i" layout (see `arrays`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from handoff_datagen.arrays import (
    NULL,
    categorical,
    first_where,
    grouped_cumsum,
    lognormal_median,
    normalised,
    owners,
    pick_from_ranges,
    starts,
    stream,
)
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.campaigns import Campaigns
from handoff_datagen.leads import Leads
from handoff_datagen.vocab import (
    CAMPAIGN_CHANNELS,
    CONTENT_COUNT,
    EVENT_CAMPAIGN_CHANNEL,
    EVENT_CONTENT,
    EVENT_MIX_ENGAGED,
    EVENT_MIX_ORDINARY,
    EVENT_PAGES,
    EVENT_TYPES,
    FIRST_EVENT_BY_SOURCE,
    FORM_BUDGET_STATUSES,
    FORM_EVENT_TYPES,
    FORM_TIMELINES,
    HIGH_VALUE_EVENT_TYPES,
    INTENT_EVENT_TYPES,
    INTENT_WEIGHTS,
    LEAD_SOURCE_NAMES,
    PAGE_URLS,
    SITE,
    UNKNOWN_FORM_TIMELINE,
)
from handoff_datagen.writer import ID_PATTERNS, Table, ts

HOUR = 3600
DAY = 86_400
# local hour at which a later session starts (people browse by day and in the evening)
SESSION_HOURS = np.arange(6, 24)
SESSION_HOUR_WEIGHTS = (0.2, 0.45, 0.9, 1.3, 1.4, 1.35, 1.1, 1.2, 1.35, 1.25, 1.05, 0.75, 0.5)
SESSION_HOUR_WEIGHTS += (0.35, 0.28, 0.22, 0.15, 0.1)
# Poisson mean per unit of propensity: ~20 events per lead once the span's end has cut off
# the events that have not happened yet
_COUNT_SCALE = 15.8
MAX_EVENTS = 5000
# generator's own notion of "hot" (the dbt rules decide the real tiers)
ENGAGED_EVENTS, ENGAGED_HIGH_VALUE = 15, 3
WARM_EVENTS = 8
TIER_INTENT, TIER_ENGAGED, TIER_WARM = 1, 2, 3
CHUNK_LEADS = 50_000  # leads per generated chunk (a constant: part of what the seed means)
_TYPE = {name: code for code, name in enumerate(EVENT_TYPES)}


class Engagement:
    """The events table (streamed chunk by chunk) and, once it is written, who got hot when."""

    def __init__(self, seed: int, leads: Leads, campaigns: Campaigns, cutoff: int):
        self._seed, self._leads, self._campaigns, self._cutoff = seed, leads, campaigns, cutoff
        self._hot_at = np.full(leads.n, NULL, dtype=np.int64)
        self._tier = np.zeros(leads.n, dtype=np.int8)
        self._done = False
        self.events = 0  # clean events
        self.table = Table(
            name="marketing_events",
            data=self._pieces(),
            vocab={
                "event_type": EVENT_TYPES,
                "page_url": PAGE_URLS,
                "form_timeline": (*FORM_TIMELINES, UNKNOWN_FORM_TIMELINE),
                "form_budget_status": FORM_BUDGET_STATUSES,
            },
            ids=ID_PATTERNS,
            id_limits={"lead_num": leads.max_number, "campaign_num": 999, "content_num": 999},
            select=[
                "printf('E%09d', event_num) as event_id",
                "lead_num as lead_id",
                f"{ts('occurred')} as occurred_at",
                "event_type as event_type",
                "campaign_num as campaign_id",
                "content_num as content_id",
                "page_url as page_url",
                "form_timeline as form_timeline",
                "form_budget_status as form_budget_status",
            ],
        )

    @property
    def hot_at(self) -> np.ndarray:
        """Per lead: epoch seconds the lead got hot (NULL never)."""
        self._require_done()
        return self._hot_at

    @property
    def tier(self) -> np.ndarray:
        """Per lead: 1 explicit intent, 2 strong engagement, 3 warm, 0 none."""
        self._require_done()
        return self._tier

    def _require_done(self) -> None:
        if not self._done:
            raise RuntimeError("write the marketing_events table first: it is generated lazily")

    def _pieces(self) -> Iterator[dict[str, np.ndarray]]:
        """Events chunk by chunk of leads, so DuckDB writes one chunk while the next is built."""
        next_event = 1
        for chunk, first_lead in enumerate(range(0, self._leads.n, CHUNK_LEADS)):
            part = slice(first_lead, min(self._leads.n, first_lead + CHUNK_LEADS))
            rng = stream(self._seed, f"events:{chunk}")
            data, hot_at, tier = _events(rng, self._leads, part, self._campaigns, self._cutoff)
            self._hot_at[part], self._tier[part] = hot_at, tier
            m = data["event_num"].size
            self.events += m
            data["event_num"] += next_event
            bad = BadRows(stream(self._seed, f"bad_rows:marketing_events:{chunk}"), data)
            fresh = bad.fresh("event_num")
            bad.add(event_num=fresh, lead_num=None)
            bad.add(event_num=fresh, occurred=None)
            bad.add(event_num=fresh, event_type=None)
            bad.add(event_num=fresh, occurred=bad.unparseable)
            bad.add()  # the same event delivered twice
            bad.add(
                event_num=fresh, lead_num=lambda copy, k, rng=bad.rng: self._leads.orphans(rng, k)
            )
            bad.add(  # an answer the form does not offer: 'someday'
                where=data["form_timeline"] != NULL,
                event_num=fresh,
                form_timeline=len(FORM_TIMELINES),
            )
            result = bad.result()
            yield from result if isinstance(result, list) else [result]
            next_event = max(next_event, bad.next_key("event_num"))
        self._done = True


def build_engagement(seed: int, leads: Leads, campaigns: Campaigns, cutoff: int) -> Engagement:
    return Engagement(seed, leads, campaigns, cutoff)


def _events(
    rng: np.random.Generator, leads: Leads, part: slice, campaigns: Campaigns, cutoff: int
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The events of leads `part`: columns (event_num from 0), and per lead hot_at and tier."""
    created = leads.created[part]
    quality = leads.quality[part]
    n = created.size

    # --- how many events, in which sessions ----------------------------------------------------
    propensity = lognormal_median(rng, 1.0, 1.0, n) * (0.6 + 0.8 * quality)
    count = 1 + rng.poisson(np.minimum(_COUNT_SCALE * propensity, MAX_EVENTS))
    size = np.minimum(1 + rng.poisson(0.8 + 1.2 * np.minimum(propensity, 3.0)), 15)
    sessions = -(-count // size)
    session_lead = owners(sessions)
    session_rank = np.arange(session_lead.size) - np.repeat(starts(sessions), sessions)
    session_events = np.where(
        session_rank == sessions[session_lead] - 1,
        count[session_lead] - size[session_lead] * (sessions[session_lead] - 1),
        size[session_lead],
    )
    # a later session opens 1+ local days after the previous one, at a local daytime hour
    day_gap = np.where(
        session_rank > 0, 1 + lognormal_median(rng, 0.8, 1.1, session_lead.size).astype(np.int64), 0
    )
    session_day = grouped_cumsum(day_gap, sessions)
    hour = SESSION_HOURS[categorical(rng, session_lead.size, SESSION_HOUR_WEIGHTS)]
    clock = hour * HOUR + rng.integers(0, HOUR, session_lead.size)
    offset = leads.utc_offset[part][session_lead]
    lead_created = created[session_lead]
    local_midnight = (lead_created + offset) // DAY * DAY
    session_start = np.where(
        session_rank == 0,
        lead_created,
        local_midnight + session_day * DAY + clock - offset,
    )
    # within a burst: seconds to minutes between events
    session = owners(session_events)
    step = np.minimum(rng.exponential(150.0, session.size), 600.0).astype(np.int64) + 5
    opens = starts(session_events)
    step[opens] = 0
    at = session_start[session] + grouped_cumsum(step, session_events)
    lead = session_lead[session]

    keep = at < cutoff  # within a lead times increase: the kept events are a prefix
    lead, at = lead[keep], at[keep]
    count = np.bincount(lead, minlength=n)
    m = lead.size
    first = starts(count)

    # --- what ----------------------------------------------------------------------------------
    # one inverse-CDF lookup for both mixes: engaged leads' draws are shifted by 1
    engaged = propensity > 2.0
    ordinary_codes, ordinary_cdf = _mix(EVENT_MIX_ORDINARY)
    engaged_codes, engaged_cdf = _mix(EVENT_MIX_ENGAGED)
    codes = np.concatenate([ordinary_codes, engaged_codes])
    cdf = np.concatenate([ordinary_cdf[:-1], [1.0], 1.0 + engaged_cdf[:-1], [np.inf]])
    u = rng.random(m) + engaged[lead]
    kind = codes[np.searchsorted(cdf, u, side="right")]
    first_type = np.array([_TYPE[FIRST_EVENT_BY_SOURCE[s]] for s in LEAD_SOURCE_NAMES])
    kind[first] = first_type[leads.source[part]]

    # explicit intent for a minority: likelier for engaged, well-fitting leads
    p_intent = np.clip(0.015 + 0.13 * quality * np.minimum(propensity, 4.0) / 1.5, 0, 0.6)
    p_intent = np.where(quality == 0, 0.01, p_intent)
    intent = rng.random(n) < p_intent
    intent_codes = np.array([_TYPE[t] for t in INTENT_EVENT_TYPES], dtype=np.int16)
    at_creation = rng.random(n) < 0.35
    position = np.where(
        at_creation | (count == 1), 0, 1 + (rng.random(n) * (count - 1)).astype(np.int64)
    )
    chosen = np.flatnonzero(intent)
    kind[first[chosen] + position[chosen]] = intent_codes[
        categorical(rng, chosen.size, INTENT_WEIGHTS)
    ]
    again = chosen[(count[chosen] > 2) & (rng.random(chosen.size) < 0.2)]
    kind[first[again] + 1 + (rng.random(again.size) * (count[again] - 1)).astype(np.int64)] = (
        intent_codes[categorical(rng, again.size, INTENT_WEIGHTS)]
    )

    # --- when the lead got hot (the generator's view) ------------------------------------------
    is_intent = _lookup(INTENT_EVENT_TYPES)[kind]
    intent_at = first_where(is_intent, lead, n, at)
    high_value = _lookup(HIGH_VALUE_EVENT_TYPES)[kind]
    high_value_seen = grouped_cumsum(high_value.astype(np.int32), count)
    third_high_value_at = first_where(
        high_value & (high_value_seen == ENGAGED_HIGH_VALUE), lead, n, at
    )
    last = max(m - 1, 0)
    nth_at = np.where(
        count >= ENGAGED_EVENTS, at[np.minimum(first + ENGAGED_EVENTS - 1, last)], NULL
    )
    warm_at = np.where(count >= WARM_EVENTS, at[np.minimum(first + WARM_EVENTS - 1, last)], NULL)
    engaged_at = np.where(
        (nth_at != NULL) & (third_high_value_at != NULL),
        np.maximum(nth_at, third_high_value_at),
        NULL,
    )
    tier = np.select(
        [intent_at != NULL, engaged_at != NULL, warm_at != NULL],
        [TIER_INTENT, TIER_ENGAGED, TIER_WARM],
        0,
    ).astype(np.int8)
    hot_at = np.select([tier == 1, tier == 2, tier == 3], [intent_at, engaged_at, warm_at], NULL)

    # --- details: campaign, content, page, form answers ----------------------------------------
    campaign = np.full(m, NULL, dtype=np.int64)
    channel = _CAMPAIGN_CHANNEL_OF_TYPE[kind]
    campaign_events = np.flatnonzero(channel != NULL)
    campaign[campaign_events] = campaigns.pick(rng, channel[campaign_events], at[campaign_events])
    lead_campaign = leads.campaign[part]
    own = np.flatnonzero((channel == NULL) & (rng.random(m) < 0.3))
    campaign[own] = lead_campaign[lead[own]]
    campaign[first] = lead_campaign
    content = pick_from_ranges(rng, kind, *_CONTENT_RANGES, np.arange(1, CONTENT_COUNT + 1))
    page = pick_from_ranges(rng, kind, *_PAGE_RANGES, _PAGE_POOL)

    timeline = np.full(m, NULL, dtype=np.int64)
    budget = np.full(m, NULL, dtype=np.int64)
    forms = np.flatnonzero(_lookup(FORM_EVENT_TYPES)[kind])
    hot_form = is_intent[forms]
    timeline[forms] = np.where(
        hot_form,
        categorical(rng, forms.size, [0.3, 0.35, 0.2, 0.05, 0.1]),
        categorical(rng, forms.size, [0.08, 0.2, 0.3, 0.25, 0.17]),
    )
    budget[forms] = np.where(
        hot_form,
        categorical(rng, forms.size, [0.3, 0.35, 0.1, 0.15, 0.1]),
        categorical(rng, forms.size, [0.12, 0.25, 0.25, 0.23, 0.15]),
    )
    timeline[timeline == len(FORM_TIMELINES)] = NULL
    budget[budget == len(FORM_BUDGET_STATUSES)] = NULL

    data = {
        "event_num": np.arange(m, dtype=np.int64),
        "lead_num": lead.astype(np.int64) + part.start + 1,
        "occurred": at,
        "event_type": kind.astype(np.int64),
        "campaign_num": campaign,
        "content_num": content,
        "page_url": page,
        "form_timeline": timeline,
        "form_budget_status": budget,
    }
    return data, hot_at, tier


def _lookup(names: tuple[str, ...]) -> np.ndarray:
    """Event type code -> whether it is one of `names` (a gather beats `np.isin`)."""
    table = np.zeros(len(EVENT_TYPES), dtype=bool)
    table[[_TYPE[name] for name in names]] = True
    return table


def _mix(mix: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([_TYPE[name] for name in mix], dtype=np.int16)
    return codes, np.cumsum(normalised(list(mix.values())))


def _ranges(spans: dict[str, tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per event type: (first offset, count) into a pool, from {type: (first, count)}."""
    first = np.zeros(len(EVENT_TYPES), dtype=np.int64)
    count = np.zeros(len(EVENT_TYPES), dtype=np.int64)
    for name, (start, size) in spans.items():
        first[_TYPE[name]], count[_TYPE[name]] = start, size
    return first, count


_CAMPAIGN_CHANNEL_OF_TYPE = np.full(len(EVENT_TYPES), NULL, dtype=np.int64)
for _name, _channel in EVENT_CAMPAIGN_CHANNEL.items():
    _CAMPAIGN_CHANNEL_OF_TYPE[_TYPE[_name]] = CAMPAIGN_CHANNELS.index(_channel)
_CONTENT_RANGES = _ranges(
    {t: (low - 1, high - low + 1) for t, (low, high) in EVENT_CONTENT.items()}
)
_PAGE_POOL = np.array([PAGE_URLS.index(SITE + p) for pages in EVENT_PAGES.values() for p in pages])
_PAGE_RANGES = _ranges(
    {
        t: (sum(len(p) for p in list(EVENT_PAGES.values())[:i]), len(pages))
        for i, (t, pages) in enumerate(EVENT_PAGES.items())
    }
)
