"""`salesforce`: REST API with httpx. The owner is set by external id through sObject
Collections upsert (≤ 200 records a request, allOrNone=false, one result per record), then a
Task for the rep is upserted by the row's sync_key, so re-sending never creates a second task.

simple-salesforce was not used: it always builds https://{instance} URLs (no local fake server
in tests) and turns per-record results and Retry-After into exceptions we would have to unpick.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import httpx
from pydantic import Field

from handoff.delivery import http
from handoff.delivery.feeds import Row, row_key
from handoff.delivery.outcomes import BatchResult, RefusedError, clip
from handoff.delivery.targets.base import RepDirectory, Target, require_secret
from handoff.delivery.targets.crm import CrmSettings, owner_rows, task_fields

MAX_RECORDS = 200
# per-record errors that say "try again" rather than "this record is wrong"
TRANSIENT_CODES = {"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_LIMIT_EXCEEDED"}


class SalesforceSettings(CrmSettings):
    type: Literal["salesforce"] = "salesforce"
    instance_url_env: str = "HANDOFF_SALESFORCE_INSTANCE_URL"
    access_token_env: str = "HANDOFF_SALESFORCE_ACCESS_TOKEN"
    api_version: str = "62.0"
    lead_object: str = "Lead"
    lead_external_id_field: str = "Handoff_Lead_Id__c"
    owner_object: str = "User"
    owner_external_id_field: str = "Handoff_Rep_Id__c"
    task_external_id_field: str = "Handoff_Sync_Key__c"
    batch_size: int = Field(default=MAX_RECORDS, ge=1, le=MAX_RECORDS)

    def build(self, name: str, environ) -> SalesforceTarget:
        instance = require_secret(environ, self.instance_url_env, f"target {name}")
        token = require_secret(environ, self.access_token_env, f"target {name}")
        return SalesforceTarget(name, self, instance, token)


def _reference(object_type: str, field: str, value: Any) -> dict[str, Any]:
    return {"attributes": {"type": object_type}, field: value}


def _record_error(result: dict[str, Any]) -> tuple[str, bool]:
    """The text of a failed record's errors, and whether all of them are transient."""
    errors = result.get("errors") or []
    codes = [str(error.get("statusCode", "")) for error in errors]
    text = "; ".join(f"{e.get('statusCode')}: {e.get('message')}" for e in errors) or "failed"
    return clip(text), bool(codes) and all(code in TRANSIENT_CODES for code in codes)


class SalesforceTarget(Target):
    kind: ClassVar[str] = "salesforce"
    settings: SalesforceSettings

    def __init__(self, name: str, settings: SalesforceSettings, instance_url: str, token: str):
        super().__init__(name, settings)
        self._base = f"{instance_url.rstrip('/')}/services/data/v{settings.api_version}"
        self._token = token
        self._http: httpx.Client | None = None

    def open(self, directory: RepDirectory) -> None:
        self._http = http.client(
            self.settings.timeout_seconds, {"Authorization": f"Bearer {self._token}"}
        )

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def _upsert(self, object_type: str, field: str, records: list[dict]) -> list[dict]:
        assert self._http is not None, "open() first"
        url = f"{self._base}/composite/sobjects/{object_type}/{field}"
        body = {"allOrNone": False, "records": records}
        response = http.send(self._http, "PATCH", url, json=body)
        results = response.json()
        if not isinstance(results, list) or len(results) != len(records):
            raise RefusedError(f"unexpected answer: {clip(response.text, 300)}")
        return results

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        settings = self.settings
        result = BatchResult()
        lead_ids: dict[str, str] = {}
        owners = owner_rows(rows)
        if owners:
            records = [
                {
                    "attributes": {"type": settings.lead_object},
                    settings.lead_external_id_field: lead_id,
                    "Owner": _reference(
                        settings.owner_object, settings.owner_external_id_field, row["rep_id"]
                    ),
                }
                for lead_id, row in owners.items()
            ]
            answers = self._upsert(settings.lead_object, settings.lead_external_id_field, records)
            for (lead_id, row), answer in zip(owners.items(), answers, strict=True):
                if answer.get("success"):
                    lead_ids[lead_id] = str(answer.get("id"))
                    continue
                text, transient = _record_error(answer)
                (result.retry if transient else result.refused)[row_key(feed, row)] = text
        failed = result.refused.keys() | result.retry.keys()
        tasks = [row for row in rows if row_key(feed, row) not in failed]
        if tasks:
            answers = self._upsert("Task", settings.task_external_id_field, self._tasks(tasks))
            for row, answer in zip(tasks, answers, strict=True):
                key = row_key(feed, row)
                if answer.get("success"):
                    lead = lead_ids.get(str(row["lead_id"]), "")
                    result.accepted[key] = f"{lead}/{answer.get('id')}".lstrip("/")
                    continue
                text, transient = _record_error(answer)
                (result.retry if transient else result.refused)[key] = text
        return result

    def _tasks(self, rows: list[Row]) -> list[dict[str, Any]]:
        settings = self.settings
        records = []
        for row in rows:
            task = task_fields(row)
            record = {
                "attributes": {"type": "Task"},
                settings.task_external_id_field: row["sync_key"],
                "Subject": task["subject"],
                "Description": task["body"],
                "Priority": "High" if task["is_urgent"] else "Normal",
                "Status": "Not Started",
                "Who": _reference(
                    settings.lead_object, settings.lead_external_id_field, row["lead_id"]
                ),
                "Owner": _reference(
                    settings.owner_object, settings.owner_external_id_field, row["rep_id"]
                ),
            }
            if task["due_at"] is not None:
                record["ActivityDate"] = task["due_at"].date().isoformat()
            records.append(record)
        return records
