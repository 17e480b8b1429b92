"""Companies (a pool leads work at) and the CRM's accounts (the first companies of the pool).

A company is a combination of name parts, so names and domains are built by DuckDB from
small dictionaries instead of millions of Python strings. Firmographics (country, industry,
size, revenue) belong to the company; a lead inherits them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from handoff_datagen.arrays import NULL, categorical, lognormal_median, stream
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.reps import Reps
from handoff_datagen.vocab import (
    COMPANY_KINDS,
    COMPANY_TLDS,
    COMPANY_WORDS_1,
    COMPANY_WORDS_2,
    COUNTRIES,
    INDUSTRIES,
    INDUSTRY_NAMES,
    MARKETS,
    TEAMS,
)
from handoff_datagen.writer import Table

VARIANT_NAMES = (
    "",
    " International",
    " Holdings",
    " Global",
    " Americas",
    " Europe",
    " Asia",
    " Digital",
)
VARIANT_DOMAINS = ("", "-intl", "-holdings", "-global", "-us", "-eu", "-asia", "-digital")
COMBINATIONS = len(COMPANY_WORDS_1) * len(COMPANY_WORDS_2) * len(COMPANY_KINDS)
# company kinds whose industry is obvious from the name
KIND_INDUSTRY = {
    "Health": "healthcare",
    "Bank": "financial_services",
    "Capital": "financial_services",
    "Insurance": "financial_services",
    "Foods": "retail",
    "Retail": "retail",
    "Manufacturing": "manufacturing",
    "Media": "media",
    "Studios": "media",
    "Networks": "telecommunications",
    "Consulting": "professional_services",
    "Partners": "professional_services",
    "Software": "software",
    "Analytics": "software",
}
ENTERPRISE_EMPLOYEES = 2000  # the generator routes companies this large to `enterprise`
MARKET_TEAM = {"na": "north_america", "emea": "emea", "apac": "apac"}


@dataclass
class Companies:
    accounts: int  # companies 0 .. accounts-1 are CRM accounts
    word1: np.ndarray
    word2: np.ndarray
    kind: np.ndarray
    variant: np.ndarray
    tld: np.ndarray
    country: np.ndarray  # code into COUNTRIES
    industry: np.ndarray  # code into INDUSTRIES
    employees: np.ndarray
    revenue: np.ndarray
    owner: np.ndarray  # rep index for accounts, NULL otherwise
    is_customer: np.ndarray  # bool, accounts only
    table: Table
    _names: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def __len__(self) -> int:
        return len(self.word1)

    def names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Every company's name and web domain (index = company), built once per data set."""
        if self._names is None:
            parts = zip(
                self.word1.tolist(),
                self.word2.tolist(),
                self.kind.tolist(),
                self.variant.tolist(),
                self.tld.tolist(),
                strict=True,
            )
            names, domains = [], []
            for w1, w2, kind, variant, tld in parts:
                stem = COMPANY_WORDS_1[w1] + COMPANY_WORDS_2[w2]
                names.append(f"{stem} {COMPANY_KINDS[kind]}{VARIANT_NAMES[variant]}")
                domains.append(
                    f"{stem}{COMPANY_KINDS[kind]}{VARIANT_DOMAINS[variant]}".lower()
                    + COMPANY_TLDS[tld]
                )
            self._names = (tuple(names), tuple(domains))
        return self._names


def team_for(country: np.ndarray, employees: np.ndarray) -> np.ndarray:
    """The team the generator routes a company / lead to (NULL: unserved country)."""
    market = np.array([MARKETS.index(c[4]) for c in COUNTRIES])[np.maximum(country, 0)]
    market = np.where(country >= 0, market, MARKETS.index("latam"))  # unknown -> inbound
    team = np.full(len(country), TEAMS.index("inbound"), dtype=np.int64)
    for name, team_name in MARKET_TEAM.items():
        team[market == MARKETS.index(name)] = TEAMS.index(team_name)
    big = (employees >= ENTERPRISE_EMPLOYEES) & np.isin(
        market, [MARKETS.index("na"), MARKETS.index("emea")]
    )
    team[big] = TEAMS.index("enterprise")
    team[market == MARKETS.index("unserved")] = NULL
    return team


def build_companies(seed: int, leads: int, reps: Reps) -> Companies:
    rng = stream(seed, "companies")
    accounts = max(50, round(0.02 * leads))
    n = min(max(200, leads // 3 + accounts), COMBINATIONS * len(VARIANT_NAMES))
    accounts = min(accounts, n // 2)
    # plain names first; regional variants ("... Europe") only once they run out
    combo = rng.permutation(COMBINATIONS)[:n]
    if n > COMBINATIONS:
        variants = COMBINATIONS + rng.permutation(COMBINATIONS * (len(VARIANT_NAMES) - 1))
        combo = rng.permutation(np.concatenate([combo, variants[: n - COMBINATIONS]]))
    variant = combo // COMBINATIONS
    rest = combo % COMBINATIONS
    word1 = rest // (len(COMPANY_WORDS_2) * len(COMPANY_KINDS))
    word2 = (rest // len(COMPANY_KINDS)) % len(COMPANY_WORDS_2)
    kind = rest % len(COMPANY_KINDS)
    tld = (combo * 7919) % len(COMPANY_TLDS)

    country = categorical(rng, n, [c[1] for c in COUNTRIES]).astype(np.int64)
    industry = categorical(rng, n, [i[1] for i in INDUSTRIES]).astype(np.int64)
    kind_industry = np.array(
        [
            INDUSTRY_NAMES.index(KIND_INDUSTRY[k]) if k in KIND_INDUSTRY else NULL
            for k in COMPANY_KINDS
        ]
    )
    industry = np.where(kind_industry[kind] != NULL, kind_industry[kind], industry)
    # heavy-tailed size; accounts are the bigger companies
    median = np.where(np.arange(n) < accounts, 900.0, 60.0)
    employees = np.clip(np.round(lognormal_median(rng, median, 1.8, n)), 1, 100_000).astype(
        np.int64
    )
    revenue = np.round(employees * lognormal_median(rng, 180_000.0, 0.6, n), -3)

    owner = np.full(n, NULL, dtype=np.int64)
    acc = np.arange(accounts)
    team = team_for(country[acc], employees[acc])
    team = np.where(team == NULL, TEAMS.index("inbound"), team)
    for t in range(len(TEAMS)):
        rows = acc[team == t]
        pool = np.flatnonzero(
            (reps.team == t) & reps.has_calendar & np.array([r != "manager" for r in reps.role])
        )
        if rows.size and pool.size:
            owner[rows] = pool[rng.integers(0, pool.size, rows.size)]
    is_customer = np.zeros(n, dtype=bool)
    is_customer[acc] = rng.random(accounts) < 0.4

    companies = Companies(
        accounts=accounts,
        word1=word1,
        word2=word2,
        kind=kind,
        variant=variant,
        tld=tld,
        country=country,
        industry=industry,
        employees=employees,
        revenue=revenue,
        owner=owner,
        is_customer=is_customer,
        table=Table("accounts", {}, []),
    )
    companies.table = _accounts_table(rng, companies)
    return companies


def _accounts_table(rng: np.random.Generator, companies: Companies) -> Table:
    acc = np.arange(companies.accounts)
    data = {
        "account_num": acc + 1,
        "account_name": acc,
        "domain_clean": acc,
        # a few domains arrive un-normalised, as typed into the CRM
        "domain_style": rng.choice(3, size=acc.size, p=[0.95, 0.03, 0.02]).astype(np.int64),
        "owner_num": np.where(companies.owner[acc] == NULL, NULL, companies.owner[acc] + 1),
        "is_customer": companies.is_customer[acc].astype(np.int8),
    }
    bad = BadRows(rng, data)
    bad.add(account_num=None)  # missing key
    bad.add()  # duplicate key: the same account twice
    return Table(
        name="accounts",
        data=bad.result(),
        vocab=dict(zip(("account_name", "domain_clean"), companies.names(), strict=True)),
        flags=frozenset({"is_customer"}),
        select=[
            "printf('ACC%06d', account_num) as account_id",
            "case domain_style when 1 then 'www.' || domain_clean "
            "when 2 then upper(domain_clean) else domain_clean end as domain",
            "account_name as account_name",
            "printf('R%03d', owner_num) as owner_rep_id",
            "is_customer as is_customer",
        ],
    )
