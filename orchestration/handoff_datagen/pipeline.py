"""What came of the hot leads: dispositions (sales' verdicts) and opportunities.

Conversion to an opportunity falls as the response time grows: a lead first validly touched
within 5 minutes converts several times as often as one touched after 24 hours. Rejections
carry reasons that match the lead (students, competitors, customers, tiny companies, ...).
"""

from __future__ import annotations

import numpy as np

from handoff_datagen.accounts import Companies
from handoff_datagen.arrays import NULL, categorical, lognormal_median, stream
from handoff_datagen.bad_rows import BadRows
from handoff_datagen.leads import COMPETITOR, PERSONAL, STUDENT, Leads
from handoff_datagen.sales import Response
from handoff_datagen.vocab import (
    DISPOSITION_NOTES,
    DISPOSITION_STATUSES,
    OPPORTUNITY_STAGES,
    REJECTION_REASONS,
    UNKNOWN_DISPOSITION_STATUS,
)
from handoff_datagen.writer import ID_PATTERNS, Table, ts

MINUTE, HOUR, DAY = 60, 3600, 86_400
ACCEPTED, REJECTED, WORKING, CONVERTED = range(4)
TIER_CONVERSION = {1: 1.0, 2: 0.7, 3: 0.5}
_REASON = {name: code for code, name in enumerate(REJECTION_REASONS)}
GENERAL_REASONS = {
    "wrong_persona": 0.14,
    "wrong_company_size": 0.08,
    "no_budget": 0.22,
    "timing_mismatch": 0.22,
    "duplicate": 0.08,
    "bad_data": 0.08,
    "other": 0.18,
}


def conversion_probability(quality, tier, response_minutes) -> np.ndarray:
    """P(opportunity) of a touched lead: falls with the minutes from hot to first valid touch."""
    tier_factor = np.select([tier == t for t in TIER_CONVERSION], list(TIER_CONVERSION.values()))
    fit = np.where(quality > 0.1, 0.3 + 0.7 * quality, quality)
    return fit * tier_factor * (0.08 + 0.42 / (1.0 + response_minutes / 15.0))


def build_opportunities(
    seed: int, leads: Leads, response: Response, companies: Companies, cutoff: int, start: int
) -> tuple[Table, np.ndarray]:
    """The opportunities table, and per routed hot lead its opportunity's created time (or NULL)."""
    rng = stream(seed, "opportunities")
    h = response.lead.size
    valid = response.first_valid_touch != NULL
    minutes = (response.first_valid_touch - response.hot_at) / MINUTE
    p = np.where(
        valid, conversion_probability(leads.quality[response.lead], response.tier, minutes), 0.0
    )
    converts = rng.random(h) < p
    created = response.first_valid_touch + np.maximum(
        HOUR, lognormal_median(rng, 2 * DAY, 0.8, h).astype(np.int64)
    )
    converts &= created < cutoff
    opp_created = np.where(converts, created, NULL)

    from_leads = np.flatnonzero(converts)
    # some pipeline is opened on an account directly, without a lead
    direct = max(3, round(0.1 * companies.accounts))
    direct_account = rng.integers(0, companies.accounts, direct)
    direct_created = rng.integers(start, cutoff, direct)

    lead_num = np.concatenate([response.lead[from_leads] + 1, np.full(direct, NULL)])
    account = np.concatenate([leads.account[response.lead[from_leads]], direct_account])
    at = np.concatenate([created[from_leads], direct_created]).astype(np.int64)
    employees = np.concatenate(
        [leads.employees[response.lead[from_leads]], companies.employees[direct_account]]
    )
    k = at.size
    closes = at + lognormal_median(rng, 21 * DAY, 0.7, k).astype(np.int64)
    closed = closes < cutoff
    won = closed & (rng.random(k) < 0.32)
    age_weeks = (cutoff - at) / (7 * DAY)
    open_stage = np.minimum(3, (age_weeks * rng.uniform(0.3, 1.5, k)).astype(np.int64))
    stage = np.where(closed, np.where(won, 4, 5), open_stage)
    amount = np.clip(
        lognormal_median(rng, 12_000.0 * (np.maximum(employees, 1) / 100.0) ** 0.35, 0.6, k),
        3_000,
        750_000,
    )
    amount = np.round(amount, -2)
    amount[(stage == 0) & (rng.random(k) < 0.3)] = np.nan

    order = np.argsort(at, kind="stable")
    data = {
        "opportunity_num": np.arange(1, k + 1, dtype=np.int64),
        "lead_num": lead_num[order].astype(np.int64),
        "account_num": np.where(account == NULL, NULL, account + 1)[order].astype(np.int64),
        "created": at[order],
        "stage": stage[order].astype(np.int64),
        "amount_usd": amount[order],
        "is_closed": closed[order].astype(np.int8),
        "is_won": won[order].astype(np.int8),
        "closed": np.where(closed, closes, NULL)[order].astype(np.int64),
    }
    bad = BadRows(stream(seed, "bad_rows:opportunities"), data)
    fresh = bad.fresh("opportunity_num")
    bad.add(opportunity_num=fresh, created=None)
    bad.add(opportunity_num=fresh, created=bad.unparseable)
    bad.add()  # duplicate key
    bad.add(
        where=data["lead_num"] != NULL,
        opportunity_num=fresh,
        lead_num=lambda copy, k: leads.orphans(bad.rng, k),
    )
    table = Table(
        name="opportunities",
        data=bad.result(),
        vocab={"stage": OPPORTUNITY_STAGES},
        flags=frozenset({"is_closed", "is_won"}),
        ids=ID_PATTERNS,
        select=[
            "printf('OPP%07d', opportunity_num) as opportunity_id",
            "lead_num as lead_id",
            "account_num as account_id",
            f"{ts('created')} as created_at",
            "stage as stage",
            "amount_usd as amount_usd",
            "is_closed as is_closed",
            "is_won as is_won",
            f"{ts('closed')} as closed_at",
        ],
    )
    return table, opp_created


def _rejection_reasons(
    rng: np.random.Generator, leads: Leads, companies: Companies, lead: np.ndarray
) -> np.ndarray:
    k = lead.size
    general = categorical(rng, k, list(GENERAL_REASONS.values()))
    reason = np.array([_REASON[r] for r in GENERAL_REASONS])[general]
    persona = leads.persona[lead]
    account = leads.account[lead]
    customer = (account != NULL) & companies.is_customer[np.maximum(account, 0)]
    u = rng.random(k)
    low_quality = (persona == PERSONAL) | (leads.level[lead] == NULL) | (leads.quality[lead] < 0.15)
    reason = np.where(low_quality & (u < 0.5), _REASON["wrong_persona"], reason)
    reason = np.where(low_quality & (u >= 0.5) & (u < 0.8), _REASON["bad_data"], reason)
    reason = np.where(
        (leads.employees[lead] < 10) & (u < 0.6), _REASON["wrong_company_size"], reason
    )
    reason = np.where(customer & (u < 0.7), _REASON["already_customer"], reason)
    reason = np.where(persona == STUDENT, _REASON["student"], reason)
    return np.where(persona == COMPETITOR, _REASON["competitor"], reason)


def build_dispositions(
    seed: int,
    leads: Leads,
    response: Response,
    companies: Companies,
    opp_created: np.ndarray,
    cutoff: int,
) -> Table:
    rng = stream(seed, "dispositions")
    h = response.lead.size
    touched = response.first_touch != NULL
    converted = opp_created != NULL
    base = np.where(touched, response.first_touch, response.hot_at)

    working = touched & (rng.random(h) < 0.75)
    working_at = base + rng.integers(0, 2 * HOUR, h)
    # a verdict for most touched leads (always before an opportunity), a few untouched ones
    verdict = (touched & (rng.random(h) < 0.7)) | converted | (~touched & (rng.random(h) < 0.08))
    verdict_at = base + HOUR + lognormal_median(rng, 1.5 * DAY, 0.9, h).astype(np.int64)
    verdict_at = np.where(
        converted,
        working_at + ((opp_created - working_at) * rng.uniform(0.2, 0.8, h)).astype(np.int64),
        verdict_at,
    )
    p_reject = np.where(touched, np.clip(0.6 - 0.5 * leads.quality[response.lead], 0.1, 1), 1.0)
    p_reject = np.where(leads.quality[response.lead] < 0.1, 0.9, p_reject)
    rejected = verdict & ~converted & (rng.random(h) < p_reject)
    status = np.where(rejected, REJECTED, ACCEPTED)
    reasons = _rejection_reasons(rng, leads, companies, response.lead)
    # untouched leads rejected on sight: duplicates and junk
    on_sight = np.array([_REASON["duplicate"], _REASON["bad_data"], _REASON["wrong_persona"]])[
        categorical(rng, h, [0.4, 0.3, 0.3])
    ]
    reasons = np.where(~touched & rejected, on_sight, reasons)

    blocks = [
        (np.flatnonzero(working), np.full(int(working.sum()), WORKING), working_at),
        (np.flatnonzero(verdict), status[verdict], verdict_at),
        (np.flatnonzero(converted), np.full(int(converted.sum()), CONVERTED), opp_created),
    ]
    index = np.concatenate([b[0] for b in blocks])
    stat = np.concatenate([b[1] for b in blocks]).astype(np.int64)
    at = np.concatenate([b[2][b[0]] for b in blocks]).astype(np.int64)
    keep = at < cutoff
    index, stat, at = index[keep], stat[keep], at[keep]
    order = np.lexsort((stat, at))
    index, stat, at = index[order], stat[order], at[order]
    k = at.size
    reason = np.where(stat == REJECTED, reasons[index], NULL)
    note = np.where(rng.random(k) < 0.2, rng.integers(0, len(DISPOSITION_NOTES), k), NULL)
    rep = np.where(rng.random(k) < 0.02, NULL, response.rep[index])
    data = {
        "disposition_num": np.arange(1, k + 1, dtype=np.int64),
        "lead_num": response.lead[index].astype(np.int64) + 1,
        "rep_num": np.where(rep == NULL, NULL, rep + 1),
        "disposed": at,
        "status": stat,
        "rejection_reason": reason.astype(np.int64),
        "notes": note,
    }
    bad = BadRows(stream(seed, "bad_rows:lead_dispositions"), data)
    fresh = bad.fresh("disposition_num")
    bad.add(disposition_num=fresh, disposed=None)
    bad.add(disposition_num=fresh, disposed=bad.unparseable)
    bad.add()  # duplicate key
    bad.add(disposition_num=fresh, lead_num=lambda copy, k: leads.orphans(bad.rng, k))
    bad.add(disposition_num=fresh, status=len(DISPOSITION_STATUSES))  # 'maybe'
    return Table(
        name="lead_dispositions",
        data=bad.result(),
        vocab={
            "status": (*DISPOSITION_STATUSES, UNKNOWN_DISPOSITION_STATUS),
            "rejection_reason": REJECTION_REASONS,
            "notes": DISPOSITION_NOTES,
        },
        ids=ID_PATTERNS,
        select=[
            "printf('D%08d', disposition_num) as disposition_id",
            "lead_num as lead_id",
            "rep_num as rep_id",
            f"{ts('disposed')} as disposed_at",
            "status as status",
            "rejection_reason as rejection_reason",
            "notes as notes",
        ],
    )
