"""What the CRM targets share: which rows set the owner, and the task text for the rep."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from handoff.delivery.feeds import Row
from handoff.delivery.messages import message_for, utc_now
from handoff.delivery.targets.base import TargetSettings

CRM_FEEDS = ["crm_assignment_sync"]


class CrmSettings(TargetSettings):
    """A CRM target: takes the assignment feed."""

    feeds: list[str] = CRM_FEEDS

    @field_validator("feeds")
    @classmethod
    def _crm_only(cls, feeds: list[str]) -> list[str]:
        if feeds != CRM_FEEDS:
            raise ValueError("a CRM target takes the crm_assignment_sync feed only")
        return feeds


def owner_rows(rows: list[Row]) -> dict[str, Row]:
    """lead_id -> the row that sets its owner: the current-owner row (one per lead in the feed).

    Earlier ledger rows of a lead still get their task (history), not an owner change.
    """
    return {str(row["lead_id"]): row for row in rows if row.get("is_current_owner")}


def task_fields(row: Row) -> dict[str, Any]:
    """Subject, description, due instant and urgency of the rep's task for one assignment."""
    message = message_for(row, utc_now())
    return {
        "subject": f"{message.headline}: {message.who}"[:255],
        "body": message.text,
        "due_at": row.get("sla_due_at"),
        "is_urgent": message.is_urgent,
    }
