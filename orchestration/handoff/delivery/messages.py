"""What a rep reads: one alert (or a digest) worded from the feed's facts, in their time zone.

The warehouse supplies the facts (sla_alerts / crm_assignment_sync columns from
int_leads_alert_context); wording, "3 minutes ago" and local times are presentation and live
here, in jinja2 templates shared by Slack, email and push. No raw email address or phone number
is ever part of a message: rows carry a masked email only, and `assert_no_contact_details`
guards every rendered text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, StrictUndefined

from handoff.delivery.outcomes import RefusedError

HEADLINES = {
    ("new_assignment", "assignee"): "New lead for you",
    ("lead_escalated", "assignee"): "Lead escalated to you",
    ("sla_due_soon", "assignee"): "First touch due soon",
    ("sla_breached", "assignee"): "First-touch SLA missed",
    ("sla_breached", "manager"): "Your team missed a first-touch SLA",
}
EVENT_PHRASES = {
    "demo_request": "requested a demo",
    "pricing_inquiry": "asked about pricing",
    "free_trial_start": "started a free trial",
    "contact_sales": "asked to talk to sales",
    "pricing_page_view": "viewed the pricing page",
    "webinar_registration": "registered for a webinar",
    "webinar_attended": "attended a webinar",
    "content_download": "downloaded content",
    "form_submit": "submitted a form",
    "case_study_view": "read a case study",
    "competitor_comparison_view": "compared us with a competitor",
    "event_attended": "came to an event",
    "email_click": "clicked an email",
    "email_open": "opened an email",
    "page_view": "visited the website",
}
RULE_PHRASES = {
    "score_threshold": "reached the qualifying score",
    "high_value_engagement": "showed strong engagement",
    "explicit_intent": "showed buying intent",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# international format only: ids, dates and counts in messages must not look like phones
_PHONE = re.compile(r"(?<![\w/])\+\d[\d ()-]{7,}\d")

# alerts whose point is in the warehouse's own words (a ladder level and its action, the numbers of
# a compliance drop, a lead nobody can own), and everything operations and marketing receive
DETAIL_EVENT_KINDS = frozenset({"unassigned", "ladder_level_up", "compliance_drop"})
OPERATIONS = "operations"
# feedback notices go to a marketing channel (sla_alerts.recipient_slack_channel), not to a rep;
# what marketing needs is the outcome, not the rep's first-touch deadline
MARKETING = "marketing"

_templates = Environment(undefined=StrictUndefined, autoescape=False, trim_blocks=True)
ALERT_TEXT = _templates.from_string(
    """{{ m.headline }}: {{ m.who }}
{% if m.detail %}{{ m.detail }}
{% endif %}{% if m.lead_id %}Tier {{ m.tier }}\
{% if m.score %} · score {{ m.score }}{% endif %} · {{ m.trigger }}
{% if m.reasons %}Why: {{ m.reasons }}
{% endif %}{% if m.firmographics %}Company: {{ m.firmographics }}
{% endif %}{% if m.deadline %}{{ m.deadline }}
{% endif %}Lead {{ m.lead_id }}{% if m.masked_email %} ({{ m.masked_email }}){% endif %}\
: {{ m.crm_url }}
{% endif %}"""
)
DIGEST_TEXT = _templates.from_string(
    """{{ messages | length }} leads need you now:
{% for m in messages %}- {{ m.headline }}: {{ m.who }}, tier {{ m.tier }}, {{ m.trigger }}. \
{{ m.deadline }}. {{ m.crm_url }}
{% endfor %}"""
)


class ContactDetailsError(RefusedError):
    """A rendered message contains something that looks like an email address or phone number:
    the row is refused (dead, with this reason) rather than sent."""


def assert_no_contact_details(text: str) -> str:
    if _EMAIL.search(text) or _PHONE.search(text):
        raise ContactDetailsError("message would carry an email address or phone number")
    return text


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"


def local_time(moment: datetime, zone_name: str | None) -> str:
    """A UTC instant in the rep's zone: 'Tue 3 Mar 15:15 CET' (UTC when the zone is unknown)."""
    try:
        zone = ZoneInfo(zone_name) if zone_name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def _naive_utc(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


@dataclass(frozen=True)
class Message:
    """One alert as people read it; every field is plain text without contact details."""

    lead_id: str | None
    rep_id: str  # the recipient: a rep id, "operations" or "marketing:<slack channel>"
    headline: str
    detail: str
    who: str
    tier: str
    score: str
    trigger: str
    reasons: str
    firmographics: str
    deadline: str
    crm_url: str
    masked_email: str
    slack_member_id: str | None
    slack_channel: str | None  # a marketing channel: where the notice goes instead of a rep
    is_urgent: bool

    @property
    def text(self) -> str:
        return assert_no_contact_details(ALERT_TEXT.render(m=self))


def _who(row: Mapping[str, Any]) -> str:
    if row.get("lead_id") is None:
        return f"team {row.get('team') or '?'}"
    name = row.get("lead_name") or f"Lead {row['lead_id']}"
    title, company = row.get("job_title"), row.get("company_name")
    if title and company:
        return f"{name}, {title} at {company}"
    return ", ".join(part for part in (name, title or company) if part)


def _trigger(row: Mapping[str, Any], now: datetime) -> str:
    event = row.get("trigger_event_type")
    phrase = EVENT_PHRASES.get(event) or (event or "").replace("_", " ")
    phrase = phrase or RULE_PHRASES.get(row.get("handoff_rule_kind") or "", "was handed off")
    when = ago(row.get("trigger_event_at"), now)
    return f"{phrase} {when}".strip()


def _firmographics(row: Mapping[str, Any]) -> str:
    parts = []
    if row.get("industry"):
        parts.append(str(row["industry"]))
    if row.get("employee_count") is not None:
        parts.append(f"{int(row['employee_count']):,} employees")
    if row.get("tech_stack"):
        parts.append("uses " + ", ".join(row["tech_stack"].split(";")))
    return " · ".join(parts)


def _deadline(row: Mapping[str, Any], zone_name: str | None, now: datetime) -> str:
    due = row.get("due_at") or row.get("sla_due_at")
    if due is None:
        return "No first-touch deadline"
    when = local_time(due, zone_name)
    if due <= now:
        return f"First touch was due {when} ({ago(due, now)})"
    minutes = int((due - now).total_seconds() // 60)
    return (
        f"First touch due {when} (in {minutes // 60} h {minutes % 60} min)"
        if minutes >= 60
        else (f"First touch due {when} (in {minutes} min)")
    )


def message_for(row: Mapping[str, Any], now: datetime) -> Message:
    """The message of one sla_alerts (or crm_assignment_sync) row, worded for its recipient."""
    now = _naive_utc(now)
    alert_type = row.get("alert_type") or (
        "lead_escalated"
        if str(row.get("assignment_type", "")).startswith("escalation")
        else "new_assignment"
    )
    role = row.get("recipient_role") or "assignee"
    headline = (
        HEADLINES.get((alert_type, role))
        or row.get("headline")
        or alert_type.replace("_", " ").capitalize()
    )
    shows_detail = row.get("event_kind") in DETAIL_EVENT_KINDS or role in (OPERATIONS, MARKETING)
    zone = row.get("recipient_timezone") or row.get("rep_timezone")
    tier = row.get("priority_tier")
    score = row.get("total_score")
    return Message(
        lead_id=None if row.get("lead_id") is None else str(row["lead_id"]),
        rep_id=str(row.get("recipient") or row["rep_id"]),
        headline=headline,
        detail=(row.get("event_detail") or "") if shows_detail else "",
        who=_who(row),
        tier=str(tier) if tier is not None else "?",
        score=f"{score:.0f}" if score is not None else "",
        trigger=_trigger(row, now),
        reasons=row.get("top_score_reasons") or "",
        firmographics=_firmographics(row),
        deadline="" if role == MARKETING else _deadline(row, zone, now),
        crm_url=row.get("crm_lead_url") or "",
        masked_email=row.get("masked_email") or "",
        slack_member_id=row.get("recipient_slack_member_id") or row.get("rep_slack_member_id"),
        slack_channel=row.get("recipient_slack_channel"),
        is_urgent=tier == 1 or alert_type == "sla_breached",
    )


def digest_text(messages: Sequence[Message]) -> str:
    return assert_no_contact_details(DIGEST_TEXT.render(messages=messages))


def group_for_recipients(
    rows: Sequence[Mapping[str, Any]], threshold: int
) -> list[list[Mapping[str, Any]]]:
    """One group per alert, except a recipient with `threshold`+ alerts gets one digest group."""
    by_rep: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_rep.setdefault(str(row.get("recipient") or row["rep_id"]), []).append(row)
    groups: list[list[Mapping[str, Any]]] = []
    for rep_rows in by_rep.values():
        if len(rep_rows) >= threshold:
            groups.append(list(rep_rows))
        else:
            groups.extend([row] for row in rep_rows)
    return groups


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
