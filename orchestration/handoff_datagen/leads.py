"""Leads: who they are (persona, title, company, country) and when they were created.

Creation times follow local business hours and weekdays of the lead's country; lead ids
increase with creation time like a CRM's. Firmographics are the company's; about 10 % are
missing (enrichment fills them) and a few are wrong (enrichment corrects them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff_datagen.accounts import Companies, team_for
from handoff_datagen.arrays import NULL, categorical, lognormal_median, stream
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.campaigns import Campaigns
from handoff_datagen.vocab import (
    BLANK_TITLE_QUALITY,
    CAMPAIGN_CHANNELS,
    COMPETITORS,
    COUNTRIES,
    COUNTRY_CODES,
    FIRST_NAMES,
    INDUSTRY_NAMES,
    LAST_NAMES,
    LEAD_SOURCE_NAMES,
    LEAD_SOURCES,
    LEVEL_QUALITY,
    MARKETS,
    PERSONAL_EMAIL_DOMAINS,
    PRODUCT_INTEREST_NAMES,
    PRODUCT_INTERESTS,
    REGION_NAMES,
    REGIONS,
    SOURCE_CAMPAIGN_CHANNEL,
    TITLE_LEVELS,
    TITLES,
    UNIVERSITIES,
)
from handoff_datagen.writer import Table, ts

DAY = 86_400
PERSONAS = {"company": 0.90, "personal": 0.08, "student": 0.01, "competitor": 0.01}
COMPANY, PERSONAL, STUDENT, COMPETITOR = range(4)
# local hour-of-day weights (business-hour peak) and weekend damping
HOUR_WEIGHTS = (
    [0.08] * 6
    + [0.2, 0.45, 0.9, 1.3, 1.4, 1.35, 1.1, 1.2, 1.35, 1.25, 1.05, 0.75]
    + [0.5, 0.35, 0.28, 0.22, 0.15, 0.1]
)
WEEKEND_WEIGHT = 0.25
# email / company domains that are not the company pool's
SPECIAL_DOMAINS = (
    PERSONAL_EMAIL_DOMAINS + tuple(u[1] for u in UNIVERSITIES) + tuple(c[1] for c in COMPETITORS)
)
SPECIAL_NAMES = tuple(u[0] for u in UNIVERSITIES) + tuple(c[0] for c in COMPETITORS)


@dataclass
class Leads:
    n: int
    created: np.ndarray  # epoch seconds, ascending (lead number = index + 1)
    utc_offset: np.ndarray  # seconds: the lead's approximate local time = UTC + offset
    persona: np.ndarray
    company: np.ndarray  # company pool index, NULL for students / competitors
    account: np.ndarray  # account index (= company index) or NULL
    country: np.ndarray  # code into COUNTRIES, NULL unknown
    team: np.ndarray  # team the generator routes the lead to, NULL unserved
    level: np.ndarray  # seniority level, NULL blank title
    employees: np.ndarray  # true employee count
    industry: np.ndarray  # true industry code
    revenue: np.ndarray  # true annual revenue
    source: np.ndarray
    campaign: np.ndarray  # campaign number or NULL
    quality: np.ndarray  # 0..1 propensity to buy
    missing_firmographics: np.ndarray  # bool: industry or size missing on the lead row
    orphan_base: int  # lead numbers from here on do not exist
    table: Table

    @property
    def orphan_pool(self) -> int:
        return self.n // 100 + 100

    @property
    def max_number(self) -> int:
        """The largest lead number any table references (orphans included)."""
        return self.orphan_base + self.orphan_pool - 1

    def orphans(self, rng: np.random.Generator, k: int) -> np.ndarray:
        """`k` lead numbers that do not exist (a few unknown leads, several rows each)."""
        return self.orphan_base + rng.integers(0, self.orphan_pool, k)


def _pick_within(
    rng: np.random.Generator, country: np.ndarray, table: tuple[tuple, ...], weight_index: int
) -> np.ndarray:
    """Per lead, a row of `table` (rows tagged with a country) for that lead's country."""
    out = np.full(len(country), NULL, dtype=np.int64)
    tagged = sorted({row[0] for row in table})
    for code in tagged:
        rows = [i for i, row in enumerate(table) if row[0] == code]
        mask = country == COUNTRY_CODES.index(code)
        weights = [table[i][weight_index] for i in rows]
        out[mask] = np.array(rows)[categorical(rng, int(mask.sum()), weights)]
    return out


def build_leads(
    seed: int,
    n: int,
    span_start: int,
    cutoff: int,
    companies: Companies,
    campaigns: Campaigns,
) -> Leads:
    rng = stream(seed, "leads")
    days = (cutoff - span_start) // DAY

    # --- who ---------------------------------------------------------------------------------
    persona = categorical(rng, n, list(PERSONAS.values())).astype(np.int64)
    accounts = companies.accounts
    others = len(companies) - accounts
    from_account = rng.random(n) < 0.04
    skewed = accounts + np.floor(others * rng.random(n) ** 1.3).astype(np.int64)
    company = np.where(from_account, rng.integers(0, accounts, n), skewed)
    special = np.full(n, NULL, dtype=np.int64)  # index into SPECIAL_NAMES
    students = persona == STUDENT
    rivals = persona == COMPETITOR
    special[students] = rng.integers(0, len(UNIVERSITIES), int(students.sum()))
    special[rivals] = len(UNIVERSITIES) + rng.integers(0, len(COMPETITORS), int(rivals.sum()))
    company[students | rivals] = NULL
    known = company >= 0
    safe = np.maximum(company, 0)

    country = np.where(
        known & (rng.random(n) < 0.85),
        companies.country[safe],
        categorical(rng, n, [c[1] for c in COUNTRIES]),
    ).astype(np.int64)
    country[students] = np.where(
        special[students] < 3, COUNTRY_CODES.index("US"), COUNTRY_CODES.index("GB")
    )
    country[rivals] = COUNTRY_CODES.index("US")
    country[rng.random(n) < 0.015] = NULL
    region = _pick_within(rng, country, REGIONS, 2)

    employees = np.where(known, companies.employees[safe], 0)
    employees[students] = 3000
    employees[rivals] = rng.integers(150, 2500, int(rivals.sum()))
    industry = np.where(known, companies.industry[safe], INDUSTRY_NAMES.index("software"))
    industry[students] = INDUSTRY_NAMES.index("education")
    revenue = np.where(known, companies.revenue[safe], np.round(employees * 150_000.0, -3))

    level_weights = [w for _, w, _ in TITLE_LEVELS]
    level = categorical(rng, n, [*level_weights, 6.0]).astype(np.int64)
    level[level == len(TITLE_LEVELS)] = NULL  # blank title
    level[students] = len(TITLE_LEVELS) - 1
    title_first = np.cumsum([0] + [len(t) for _, _, t in TITLE_LEVELS])[:-1]
    title_count = np.array([len(t) for _, _, t in TITLE_LEVELS])
    safe_level = np.maximum(level, 0)
    title = np.where(
        level >= 0,
        title_first[safe_level] + (rng.random(n) * title_count[safe_level]).astype(np.int64),
        NULL,
    )

    # --- when (local business hours of the lead's country) -------------------------------------
    day_of_week = (span_start // DAY + np.arange(days) + 3) % 7  # 0 = Monday
    day_weights = np.where(day_of_week >= 5, WEEKEND_WEIGHT, 1.0) * np.linspace(0.85, 1.15, days)
    day = categorical(rng, n, day_weights).astype(np.int64)
    hour = categorical(rng, n, HOUR_WEIGHTS).astype(np.int64)
    offset = np.array([c[2] for c in COUNTRIES])[np.maximum(country, 0)]
    region_offset = np.array([r[3] for r in REGIONS], dtype=float)
    offset = np.where(region >= 0, region_offset[np.maximum(region, 0)], offset)
    utc_offset = (offset * 3600).astype(np.int64)
    local = span_start + day * DAY + hour * 3600 + rng.integers(0, 3600, n)
    created = span_start + (local - utc_offset - span_start) % (cutoff - span_start)

    # --- firmographics as the CRM shows them ---------------------------------------------------
    shown_employees = employees.copy()
    wrong = rng.random(n) < 0.05
    shown_employees[wrong] = np.maximum(
        1, np.round(employees[wrong] * rng.choice([0.1, 8.0], size=int(wrong.sum())))
    )
    missing = rng.random(n) < 0.10
    shown_industry = np.where(missing | (rng.random(n) < 0.02), NULL, industry)
    shown_employees = np.where(missing | (rng.random(n) < 0.02), NULL, shown_employees)
    shown_revenue = np.where(missing | (rng.random(n) < 0.03), np.nan, revenue)

    source = categorical(rng, n, [s[1] for s in LEAD_SOURCES]).astype(np.int64)
    product = categorical(rng, n, [p[1] for p in PRODUCT_INTERESTS]).astype(np.int64)
    product[rng.random(n) < 0.05] = NULL

    # --- quality: who would buy -----------------------------------------------------------------
    level_quality = np.array(LEVEL_QUALITY)[safe_level]
    quality = np.where(level >= 0, level_quality, BLANK_TITLE_QUALITY)
    quality = quality * np.select([employees < 10, employees < 50], [0.4, 0.7], 1.0)
    quality = quality * np.array([1.0, 0.6, 0.05, 0.02])[persona]
    market = np.array([MARKETS.index(c[4]) for c in COUNTRIES])[np.maximum(country, 0)]
    quality = np.where((country >= 0) & (market == MARKETS.index("unserved")), 0.0, quality)

    # --- sort by creation: lead numbers follow time ------------------------------------------
    order = np.argsort(created, kind="stable")
    (
        created,
        utc_offset,
        persona,
        company,
        special,
        country,
        region,
        employees,
        industry,
        revenue,
        level,
        title,
        shown_employees,
        shown_industry,
        shown_revenue,
        source,
        product,
        quality,
    ) = (
        a[order]
        for a in (
            created,
            utc_offset,
            persona,
            company,
            special,
            country,
            region,
            employees,
            industry,
            revenue,
            level,
            title,
            shown_employees,
            shown_industry,
            shown_revenue,
            source,
            product,
            quality,
        )
    )

    channel_of_source = np.array(
        [
            CAMPAIGN_CHANNELS.index(SOURCE_CAMPAIGN_CHANNEL[s])
            if SOURCE_CAMPAIGN_CHANNEL[s]
            else NULL
            for s in LEAD_SOURCE_NAMES
        ]
    )
    channel = channel_of_source[source]
    channel[(source == LEAD_SOURCE_NAMES.index("organic_search")) & (rng.random(n) < 0.8)] = NULL
    campaign = campaigns.pick(rng, channel, created)

    account = np.where((company >= 0) & (company < accounts), company, NULL)
    team = team_for(country, employees)

    updated = created + np.minimum(
        lognormal_median(rng, 2 * DAY, 1.2, n).astype(np.int64), cutoff - 1 - created
    )
    updated[rng.random(n) < 0.02] = NULL

    data = {
        "lead_num": np.arange(1, n + 1, dtype=np.int64),
        "created": created,
        "first": (first := rng.integers(0, len(FIRST_NAMES), n)),
        "first_a": first,
        "last": (last := rng.integers(0, len(LAST_NAMES), n)),
        "last_a": last,
        "title": title,
        "has_email": (rng.random(n) < 0.99).astype(np.int8),
        "email_digits": np.where(
            (persona == PERSONAL) & (rng.random(n) < 0.5), rng.integers(10, 100, n), NULL
        ),
        "email_domain_special": _email_domain(rng, persona, special),
        "phone_cc": np.maximum(country, 0),
        "phone_a": np.where(rng.random(n) < 0.65, rng.integers(0, 1000, n), NULL),
        "phone_b": rng.integers(0, 10_000, n),
        "special_name": special,
        "special_domain": np.where(special >= 0, special + len(PERSONAL_EMAIL_DOMAINS), NULL),
        "show_company": ((persona != PERSONAL) | (rng.random(n) < 0.6)).astype(np.int8),
        "domain_style": rng.choice(3, size=n, p=[0.97, 0.02, 0.01]).astype(np.int64),
        "pool_name": company,
        "pool_domain": company,
        "country": country,
        "region": region,
        "industry": shown_industry,
        "employee_count": shown_employees.astype(np.int64),
        "annual_revenue_usd": shown_revenue.astype(np.float64),
        "lead_source": source,
        "product_interest": product,
        "campaign_num": campaign,
        "updated": updated,
    }
    bad = BadRows(stream(seed, "bad_rows:leads"), data)
    bad.add(lead_num=None)
    bad.add(lead_num=bad.fresh("lead_num"), created=None)
    bad.add(lead_num=bad.fresh("lead_num"), created=bad.unparseable)
    # an older CRM version of a lead (older updated_at) next to the current one
    bad.add(
        where=updated >= 0,
        updated=lambda copy, k: copy["created"] + (copy["updated"] - copy["created"]) // 3,
        title=lambda copy, k: np.full(k, NULL),
    )
    table = Table(
        name="leads",
        data=bad.result(),
        vocab={
            "first": [f[0] for f in FIRST_NAMES],
            "first_a": [f[1] for f in FIRST_NAMES],
            "last": [name[0] for name in LAST_NAMES],
            "last_a": [name[1] for name in LAST_NAMES],
            "title": TITLES,
            "email_domain_special": SPECIAL_DOMAINS,
            "phone_cc": [c[3] for c in COUNTRIES],
            "special_name": SPECIAL_NAMES,
            "special_domain": SPECIAL_DOMAINS,
            **dict(zip(("pool_name", "pool_domain"), companies.names(), strict=True)),
            "country": COUNTRY_CODES,
            "region": REGION_NAMES,
            "industry": INDUSTRY_NAMES,
            "lead_source": LEAD_SOURCE_NAMES,
            "product_interest": PRODUCT_INTEREST_NAMES,
        },
        select=[
            "printf('L%08d', lead_num) as lead_id",
            f"{ts('created')} as created_at",
            "case when has_email = 1 then replace(first_a || '.' || last_a, ' ', '') "
            "|| coalesce(cast(email_digits as varchar), '') || '@' "
            "|| coalesce(email_domain_special, pool_domain) end as email",
            "first as first_name",
            "last as last_name",
            "title as job_title",
            "'+' || phone_cc || '-555-' || printf('%03d-%04d', phone_a, phone_b) as phone",
            "coalesce(special_name, case when show_company = 1 then pool_name end) as company_name",
            "case domain_style when 1 then 'www.' when 2 then 'https://' else '' end "
            "|| coalesce(special_domain, case when show_company = 1 then pool_domain end) "
            "as company_domain",
            "country as country_code",
            "region as region",
            "industry as industry",
            "employee_count as employee_count",
            "annual_revenue_usd as annual_revenue_usd",
            "lead_source as lead_source",
            "product_interest as product_interest",
            "printf('CMP-%03d', campaign_num) as campaign_id",
            f"{ts('updated')} as updated_at",
        ],
    )
    return Leads(
        n=n,
        created=created,
        utc_offset=utc_offset,
        persona=persona,
        company=company,
        account=account,
        country=country,
        team=team,
        level=level,
        employees=employees,
        industry=industry,
        revenue=revenue,
        source=source,
        campaign=campaign,
        quality=quality,
        missing_firmographics=(shown_industry == NULL) | (shown_employees == NULL),
        orphan_base=n + n // 50 + 1000,
        table=table,
    )


def _email_domain(rng: np.random.Generator, persona: np.ndarray, special: np.ndarray) -> np.ndarray:
    """Index into SPECIAL_DOMAINS for non-company addresses; NULL: the company's domain."""
    out = np.full(len(persona), NULL, dtype=np.int64)
    personal = persona == PERSONAL
    out[personal] = rng.integers(0, len(PERSONAL_EMAIL_DOMAINS), int(personal.sum()))
    has_special = special >= 0
    out[has_special] = len(PERSONAL_EMAIL_DOMAINS) + special[has_special]
    return out
