"""Marketing campaigns (~30) and picking a campaign that had started by a given instant."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff_datagen.arrays import NULL, stream
from handoff_datagen.vocab import CAMPAIGN_CHANNELS, PRODUCT_INTEREST_NAMES
from handoff_datagen.writer import Table, ts

# channel -> (how many, cost range in USD)
CAMPAIGN_PLAN = {
    "paid_search": (6, (5_000, 60_000)),
    "social": (5, (3_000, 40_000)),
    "email": (7, (500, 3_000)),
    "webinar": (5, (2_000, 15_000)),
    "event": (4, (20_000, 150_000)),
    "content_syndication": (3, (10_000, 50_000)),
}
_NAME_PATTERNS = {
    "paid_search": ("Paid Search - {product} {n}", "Google Ads - {product} Q{q}"),
    "social": ("LinkedIn - {product} ABM {n}", "Social - {product} Awareness Q{q}"),
    "email": ("Newsletter #{n}", "Nurture - {product} Track {n}"),
    "webinar": ("Webinar: Speed to Lead {n}", "Webinar: Scoring That Works Q{q}"),
    "event": ("Field Event - City Tour {n}", "Trade Show Booth Q{q}"),
    "content_syndication": ("Syndication - {product} Report {n}",),
}
DAY = 86_400


@dataclass
class Campaigns:
    number: np.ndarray  # campaign number (CMP-001 = 1), sorted by channel then start
    channel: np.ndarray  # code into CAMPAIGN_CHANNELS
    started: np.ndarray  # epoch seconds
    first: np.ndarray  # per channel: offset of its first campaign in the arrays above
    count: np.ndarray  # per channel: number of campaigns
    table: Table

    def pick(self, rng: np.random.Generator, channel: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A campaign of `channel` that had started by `at` (NULL when none or channel NULL)."""
        channel = np.asarray(channel, dtype=np.int64)
        out = np.full(len(channel), NULL, dtype=np.int64)
        known = channel >= 0
        if not known.any():
            return out
        ch = channel[known]
        # campaigns of a channel are sorted by start: the eligible ones are a prefix
        key = ch * (1 << 40) + at[known]
        sorted_key = self.channel.astype(np.int64) * (1 << 40) + self.started
        eligible = np.searchsorted(sorted_key, key, side="right") - self.first[ch]
        offset = (rng.random(ch.size) * eligible).astype(np.int64)
        has = eligible > 0
        values = np.full(ch.size, NULL, dtype=np.int64)
        values[has] = self.number[self.first[ch[has]] + offset[has]]
        out[known] = values
        return out


def build_campaigns(seed: int, span_start: int, cutoff: int) -> Campaigns:
    rng = stream(seed, "campaigns")
    span = cutoff - span_start
    channel: list[int] = []
    started: list[int] = []
    names: list[str] = []
    costs: list[float] = []
    for code, name in enumerate(CAMPAIGN_CHANNELS):
        how_many, (low, high) = CAMPAIGN_PLAN[name]
        # most campaigns run before the span starts; some launch during it
        early = rng.integers(span_start - 120 * DAY, span_start, how_many)
        late = rng.integers(span_start, span_start + int(span * 0.8) + 1, how_many)
        starts = np.sort(np.where(rng.random(how_many) < 0.7, early, late))
        for n, start in enumerate(starts, start=1):
            pattern = _NAME_PATTERNS[name][int(rng.integers(len(_NAME_PATTERNS[name])))]
            product = PRODUCT_INTEREST_NAMES[int(rng.integers(len(PRODUCT_INTEREST_NAMES)))]
            quarter = (int(start) // DAY // 91) % 4 + 1
            names.append(pattern.format(product=product.title(), n=n, q=quarter))
            channel.append(code)
            started.append(int(start))
            costs.append(round(float(rng.uniform(low, high)), -1))
    number = np.arange(1, len(channel) + 1, dtype=np.int64)
    channel_arr = np.array(channel, dtype=np.int64)
    count = np.bincount(channel_arr, minlength=len(CAMPAIGN_CHANNELS))
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    table = Table(
        name="campaigns",
        data={
            "campaign_num": number,
            "campaign_name": np.array(names, dtype=object),
            "channel": channel_arr.astype(np.int32),
            "started": np.array(started, dtype=np.int64),
            "cost_usd": np.array(costs, dtype=np.float64),
        },
        vocab={"channel": CAMPAIGN_CHANNELS},
        select=[
            "printf('CMP-%03d', campaign_num) as campaign_id",
            "campaign_name as campaign_name",
            "channel as channel",
            f"{ts('started')} as started_at",
            "cost_usd as cost_usd",
        ],
    )
    return Campaigns(number, channel_arr, np.array(started), first, count, table)
