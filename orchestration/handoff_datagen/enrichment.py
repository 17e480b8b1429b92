"""Firmographic enrichment: ~70 % of leads get 1-2 provider rows hours to days after creation.

Providers report the company's true values (with their own noise), so enrichment fills the
firmographics missing on `leads` and corrects the wrong ones; the feed is ordered by time.
"""

from __future__ import annotations

import numpy as np

from handoff_datagen.arrays import NULL, lognormal_median, owners, stream
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.leads import Leads
from handoff_datagen.vocab import (
    ENRICHMENT_PROVIDERS,
    INDUSTRY_NAMES,
    TECHNOLOGIES,
    TECHNOLOGY_SHARE,
)
from handoff_datagen.writer import ID_PATTERNS, Table, ts

HOUR = 3600
# every subset of TECHNOLOGIES, indexed by its bit mask
TECH_STACKS = tuple(
    ";".join(t for bit, t in enumerate(TECHNOLOGIES) if mask >> bit & 1)
    for mask in range(1 << len(TECHNOLOGIES))
)


def build_enrichment(seed: int, leads: Leads, cutoff: int) -> Table:
    rng = stream(seed, "enrichment")
    n = leads.n
    enriched = rng.random(n) < np.where(leads.missing_firmographics, 0.9, 0.67)
    rows_per_lead = np.where(enriched, np.where(rng.random(n) < 0.3, 2, 1), 0)
    lead = owners(rows_per_lead)
    m = lead.size
    second = np.zeros(m, dtype=bool)
    second[1:] = lead[1:] == lead[:-1]

    first_delay = lognormal_median(rng, 3 * HOUR, 1.3, m).astype(np.int64)
    later_delay = lognormal_median(rng, 72 * HOUR, 1.0, m).astype(np.int64)
    at = leads.created[lead] + 60 + first_delay
    at[second] = at[np.flatnonzero(second) - 1] + later_delay[second]
    provider = rng.integers(0, len(ENRICHMENT_PROVIDERS), m)
    provider[second] = 1 - provider[np.flatnonzero(second) - 1]

    industry = leads.industry[lead].astype(np.int64)
    misread = rng.random(m) < 0.05
    industry[misread] = rng.integers(0, len(INDUSTRY_NAMES), int(misread.sum()))
    employees = np.maximum(
        1, np.round(leads.employees[lead] * lognormal_median(rng, 1.0, 0.15, m))
    ).astype(np.int64)
    revenue = np.round(leads.revenue[lead] * lognormal_median(rng, 1.0, 0.2, m), -3)
    industry[rng.random(m) < 0.08] = NULL
    employees[rng.random(m) < 0.08] = NULL
    revenue[rng.random(m) < 0.12] = np.nan

    bits = rng.random((m, len(TECHNOLOGIES))) < np.array(TECHNOLOGY_SHARE)
    stack = bits @ (1 << np.arange(len(TECHNOLOGIES)))
    stack = np.where(stack == 0, NULL, stack)
    growth = np.round(np.clip(rng.normal(18, 22, m), -20, 120), 1)
    growth[rng.random(m) < 0.15] = np.nan

    keep = at < cutoff
    order = np.argsort(at[keep], kind="stable")
    data = {
        "lead_num": (lead[keep] + 1)[order].astype(np.int64),
        "enriched": at[keep][order],
        "industry": industry[keep][order],
        "employee_count": employees[keep][order],
        "annual_revenue_usd": revenue[keep][order],
        "tech_stack": stack[keep][order],
        "revenue_growth_pct": growth[keep][order],
        "provider": provider[keep][order],
    }
    bad = BadRows(stream(seed, "bad_rows:lead_enrichment"), data)
    bad.add(lead_num=None)
    bad.add(enriched=bad.unparseable)
    bad.add(lead_num=lambda copy, k: leads.orphans(bad.rng, k))
    return Table(
        name="lead_enrichment",
        data=bad.result(),
        vocab={
            "industry": INDUSTRY_NAMES,
            "tech_stack": TECH_STACKS,
            "provider": ENRICHMENT_PROVIDERS,
        },
        ids=ID_PATTERNS,
        select=[
            "lead_num as lead_id",
            f"{ts('enriched')} as enriched_at",
            "industry as industry",
            "employee_count as employee_count",
            "annual_revenue_usd as annual_revenue_usd",
            "tech_stack as tech_stack",
            "revenue_growth_pct as revenue_growth_pct",
            "provider as provider",
        ],
    )
