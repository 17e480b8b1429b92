"""`hubspot`: CRM v3 with httpx. Contacts batch upsert by a unique id property (≤ 100 a
request) with `hubspot_owner_id` set, then a task per assignment upserted by its sync_key and
associated with the contact. Owners are matched by the rep's email through /crm/v3/owners.
A sliding window keeps requests under the burst limit (default 100 per 10 s).

The official hubspot-api-client was not used: it is a large generated client, its batch calls
raise on 207 multi-status, and its base URL/retry handling adds nothing httpx does not give.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import httpx
from pydantic import Field

from handoff.delivery import http
from handoff.delivery.feeds import Row, row_key
from handoff.delivery.outcomes import BatchResult, clip
from handoff.delivery.ratelimit import SlidingWindow
from handoff.delivery.targets.base import RepDirectory, Target, require_secret
from handoff.delivery.targets.crm import CrmSettings, owner_rows, task_fields

MAX_INPUTS = 100
TASK_TO_CONTACT = 204  # HubSpot-defined association type id: task -> contact


class HubSpotSettings(CrmSettings):
    type: Literal["hubspot"] = "hubspot"
    base_url: str = "https://api.hubapi.com"
    token_env: str = "HANDOFF_HUBSPOT_TOKEN"
    object_type: str = "contacts"
    id_property: str = "handoff_lead_id"
    task_id_property: str = "handoff_sync_key"
    batch_size: int = Field(default=MAX_INPUTS, ge=1, le=MAX_INPUTS)
    requests_per_window: int = Field(default=100, ge=1)
    window_seconds: float = Field(default=10.0, gt=0)

    def build(self, name: str, environ) -> HubSpotTarget:
        return HubSpotTarget(name, self, require_secret(environ, self.token_env, f"target {name}"))


def _errors_by_id(body: dict[str, Any]) -> dict[str, str]:
    """A 207 answer's errors, by the input id each names (context.ids)."""
    failed: dict[str, str] = {}
    for error in body.get("errors") or []:
        text = clip(f"{error.get('category', 'ERROR')}: {error.get('message', '')}")
        for value in (error.get("context") or {}).get("ids") or []:
            failed[str(value)] = text
    return failed


class HubSpotTarget(Target):
    kind: ClassVar[str] = "hubspot"
    needs_rep_emails: ClassVar[bool] = True
    settings: HubSpotSettings

    def __init__(self, name: str, settings: HubSpotSettings, token: str):
        super().__init__(name, settings)
        self._token = token
        self._http: httpx.Client | None = None
        self._window = SlidingWindow(settings.requests_per_window, settings.window_seconds)
        self._directory = RepDirectory()
        self._owners: dict[str, str] | None = None

    def open(self, directory: RepDirectory) -> None:
        self._directory = directory
        self._owners = None
        self._http = http.client(
            self.settings.timeout_seconds, {"Authorization": f"Bearer {self._token}"}
        )

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        assert self._http is not None, "open() first"
        self._window.wait()
        return http.send(
            self._http, method, f"{self.settings.base_url.rstrip('/')}{path}", **kwargs
        )

    def owner_ids(self) -> dict[str, str]:
        """owner email (lower case) -> HubSpot owner id, read once per run."""
        if self._owners is None:
            owners: dict[str, str] = {}
            after: str | None = None
            while True:
                params = {"limit": 100, **({"after": after} if after else {})}
                body = self._call("GET", "/crm/v3/owners", params=params).json()
                for owner in body.get("results") or []:
                    if owner.get("email"):
                        owners[str(owner["email"]).lower()] = str(owner["id"])
                after = ((body.get("paging") or {}).get("next") or {}).get("after")
                if not after:
                    break
            self._owners = owners
        return self._owners

    def _owner_of(self, rep_id: str) -> str | None:
        email = self._directory.email(rep_id)
        return self.owner_ids().get(email.lower()) if email else None

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        result = BatchResult()
        usable: list[Row] = []
        for row in rows:
            owner = self._owner_of(str(row["rep_id"]))
            if owner is None:
                result.refused[row_key(feed, row)] = f"no HubSpot owner for rep {row['rep_id']}"
            else:
                usable.append({**row, "_owner_id": owner})
        contacts = self._upsert_contacts(usable)
        tasks = []
        for row in usable:
            contact = contacts.get(str(row["lead_id"]))
            if isinstance(contact, tuple):
                result.refused[row_key(feed, row)] = contact[1]
            else:
                tasks.append((row, contact))
        if tasks:
            task_ids = self._upsert_tasks(feed, tasks, result)
            self._associate(task_ids)
            for key, (task_id, _) in task_ids.items():
                result.accepted[key] = task_id
        return result

    def _upsert_contacts(self, rows: list[Row]) -> dict[str, Any]:
        """lead_id -> contact id, or (None, error) for a contact HubSpot refused.

        Every lead of the batch is upserted (its task needs the contact); only a lead's
        current-owner row sets `hubspot_owner_id`.
        """
        settings = self.settings
        owners = owner_rows(rows)
        inputs, seen = [], set()
        for row in rows:
            lead_id = str(row["lead_id"])
            if lead_id in seen:
                continue
            seen.add(lead_id)
            properties = {settings.id_property: lead_id}
            if lead_id in owners:
                properties["hubspot_owner_id"] = owners[lead_id]["_owner_id"]
            inputs.append(
                {"idProperty": settings.id_property, "id": lead_id, "properties": properties}
            )
        if not inputs:
            return {}
        body = self._call(
            "POST", f"/crm/v3/objects/{settings.object_type}/batch/upsert", json={"inputs": inputs}
        ).json()
        contacts: dict[str, Any] = {
            lead_id: (None, error) for lead_id, error in _errors_by_id(body).items()
        }
        for record in body.get("results") or []:
            lead_id = str((record.get("properties") or {}).get(settings.id_property) or "")
            if lead_id:
                contacts[lead_id] = str(record["id"])
        for item in inputs:
            contacts.setdefault(item["id"], (None, "no result for this contact"))
        return contacts

    def _upsert_tasks(
        self, feed: str, tasks: list[tuple[Row, str]], result: BatchResult
    ) -> dict[str, tuple[str, str]]:
        """sync_key -> (task id, contact id) for the tasks HubSpot accepted."""
        settings = self.settings
        inputs = []
        for row, _ in tasks:
            task = task_fields(row)
            properties = {
                settings.task_id_property: row["sync_key"],
                "hs_task_subject": task["subject"],
                "hs_task_body": task["body"],
                "hs_task_status": "NOT_STARTED",
                "hs_task_priority": "HIGH" if task["is_urgent"] else "MEDIUM",
                "hubspot_owner_id": row["_owner_id"],
            }
            if task["due_at"] is not None:
                properties["hs_timestamp"] = task["due_at"].isoformat() + "Z"
            inputs.append(
                {
                    "idProperty": settings.task_id_property,
                    "id": row["sync_key"],
                    "properties": properties,
                }
            )
        body = self._call(
            "POST", "/crm/v3/objects/tasks/batch/upsert", json={"inputs": inputs}
        ).json()
        for key, error in _errors_by_id(body).items():
            result.refused[key] = error
        contact_of = {str(row["sync_key"]): contact for row, contact in tasks}
        accepted: dict[str, tuple[str, str]] = {}
        for record in body.get("results") or []:
            key = str((record.get("properties") or {}).get(settings.task_id_property) or "")
            if key in contact_of:
                accepted[key] = (str(record["id"]), contact_of[key])
        for row, _ in tasks:
            key = row_key(feed, row)
            if key not in accepted and key not in result.refused:
                result.refused[key] = "no result for this task"
        return accepted

    def _associate(self, task_ids: dict[str, tuple[str, str]]) -> None:
        """Task -> contact, HubSpot's default association (idempotent: PUT)."""
        if not task_ids:
            return
        inputs = [
            {"from": {"id": task}, "to": {"id": contact}} for task, contact in task_ids.values()
        ]
        self._call(
            "PUT",
            f"/crm/v4/associations/tasks/{self.settings.object_type}/batch/associate/default",
            json={"inputs": inputs},
        )
