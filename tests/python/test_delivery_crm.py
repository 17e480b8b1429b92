"""The CRM targets against local fakes of their APIs: Salesforce sObject Collections upsert and
HubSpot CRM v3 batch upsert, each with per-row results, a task for the rep, retries, replay.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from delivery_fakes import FakeServer, Reply, config, feed_warehouse, log_rows
from handoff.delivery import deliver
from handoff.delivery.config import parse_config

TOKEN = "canary-token-77aa"
LEAD_PATH = "/services/data/v62.0/composite/sobjects/Lead/Handoff_Lead_Id__c"
TASK_PATH = "/services/data/v62.0/composite/sobjects/Task/Handoff_Sync_Key__c"


def _run(warehouse: Path, targets: dict, environ: dict, **kwargs):
    cfg = parse_config(config(targets), environ)
    return deliver(warehouse, cfg, environ, ["crm_assignment_sync"], **kwargs)


class FakeSalesforce:
    """Per-record answers: `refuse` leads get DUPLICATE_EXTERNAL_ID, `locked` leads one
    UNABLE_TO_LOCK_ROW first; a 429 and a 503 before the first success."""

    def __init__(self):
        self.refuse = {"L00007"}
        self.locked = {"L00011"}
        self.hiccups = [Reply(429, headers={"Retry-After": "0"}), Reply(503)]

    def __call__(self, request):
        if self.hiccups:
            return self.hiccups.pop(0)
        records = request.json["records"]
        results = []
        for record in records:
            if request.path == LEAD_PATH:
                lead = record["Handoff_Lead_Id__c"]
                if lead in self.refuse:
                    error = {"statusCode": "DUPLICATE_EXTERNAL_ID", "message": f"dup {lead}"}
                    results.append({"success": False, "errors": [error]})
                    continue
                if lead in self.locked:
                    self.locked.discard(lead)
                    error = {"statusCode": "UNABLE_TO_LOCK_ROW", "message": "locked"}
                    results.append({"success": False, "errors": [error]})
                    continue
                results.append({"success": True, "id": "00Q" + lead, "created": False})
            else:
                results.append({"success": True, "id": "00T" + record["Handoff_Sync_Key__c"]})
        return Reply(body=results)


def test_salesforce_owner_upsert_task_per_row_results_and_replay(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=250)
    fake = FakeSalesforce()
    target = {
        "salesforce": {
            "type": "salesforce",
            "enabled_when_set": "SF_URL",
            "instance_url_env": "SF_URL",
            "access_token_env": "SF_TOKEN",
        }
    }
    with FakeServer(fake) as server:
        environ = {"SF_URL": server.url, "SF_TOKEN": TOKEN}
        report = _run(warehouse, target, environ)
        [salesforce] = report.targets
        assert (salesforce.accepted, salesforce.dead, salesforce.retrying) == (249, 1, 0)

        owner_requests = [r for r in server.requests if r.path == LEAD_PATH and r.method == "PATCH"]
        assert max(len(r.json["records"]) for r in owner_requests) == 200
        for request in server.requests:
            assert request.headers["authorization"] == f"Bearer {TOKEN}"
            assert request.json["allOrNone"] is False
        record = owner_requests[-1].json["records"][0]
        assert record["attributes"] == {"type": "Lead"}
        assert record["Owner"]["attributes"] == {"type": "User"}
        assert record["Owner"]["Handoff_Rep_Id__c"].startswith("R")
        task = next(r for r in server.requests if r.path == TASK_PATH).json["records"][0]
        assert task["Who"]["Handoff_Lead_Id__c"].startswith("L")
        assert task["Subject"].startswith("New lead for you: Lead ")
        assert "requested a demo" in task["Description"]
        # the refused row went dead with Salesforce's words; the locked one was retried alone
        log = {row["key"]: row for row in log_rows(warehouse)}
        assert log["sync00007"]["status"] == "dead"
        assert "DUPLICATE_EXTERNAL_ID" in log["sync00007"]["last_error"]
        # 429, 503, the lock, then success: every request carried the row
        assert log["sync00011"]["status"] == "delivered" and log["sync00011"]["attempts"] == 4
        assert log["sync00012"]["attempts"] == 3
        assert log["sync00001"]["response_id"] == "00QL00001/00Tsync00001"

        fake.refuse.clear()
        replay = _run(warehouse, target, environ, replay=True)
        again = _run(warehouse, target, environ)
    assert replay.targets[0].accepted == 1 and again.targets[0].sent == 0
    assert Counter(row["status"] for row in log_rows(warehouse)) == {"delivered": 250}


class FakeHubSpot:
    def __init__(self):
        self.bad_lead = "L00003"
        self.calls: list[float] = []

    def __call__(self, request):
        self.calls.append(time.monotonic())
        path = request.path.split("?")[0]
        if path == "/crm/v3/owners":
            if "after=" in request.path:
                return Reply(body={"results": [{"id": "902", "email": "REP2@sales.test"}]})
            owners = [{"id": f"90{i}", "email": f"rep{i}@sales.test"} for i in range(2)]
            return Reply(body={"results": owners, "paging": {"next": {"after": "2"}}})
        inputs = request.json.get("inputs", [])
        if path == "/crm/v3/objects/contacts/batch/upsert":
            ok = [i for i in inputs if i["id"] != self.bad_lead]
            body = {
                "status": "COMPLETE",
                "results": [
                    {"id": "c" + i["id"], "properties": {"handoff_lead_id": i["id"]}} for i in ok
                ],
            }
            if len(ok) < len(inputs):
                body["errors"] = [
                    {
                        "status": "error",
                        "category": "VALIDATION_ERROR",
                        "message": "bad email",
                        "context": {"ids": [self.bad_lead]},
                    }
                ]
                return Reply(207, body=body)
            return Reply(body=body)
        if path == "/crm/v3/objects/tasks/batch/upsert":
            results = [
                {"id": "t" + i["id"], "properties": {"handoff_sync_key": i["id"]}} for i in inputs
            ]
            return Reply(body={"status": "COMPLETE", "results": results})
        if path.startswith("/crm/v4/associations/tasks/contacts/batch/associate/default"):
            return Reply(body={"status": "COMPLETE", "results": []})
        return Reply(404, body={"message": f"no route {path}"})


def test_hubspot_batch_upsert_owner_task_association_and_burst_limit(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=150)
    fake = FakeHubSpot()
    target = {
        "hubspot": {
            "type": "hubspot",
            "enabled_when_set": "HS_TOKEN",
            "token_env": "HS_TOKEN",
            "base_url": "",
            "requests_per_window": 3,
            "window_seconds": 0.5,
        }
    }
    with FakeServer(fake) as server:
        target["hubspot"]["base_url"] = server.url
        report = _run(warehouse, target, {"HS_TOKEN": TOKEN})
    [hubspot] = report.targets
    assert (hubspot.accepted, hubspot.dead) == (149, 1)
    contacts = [r for r in server.requests if r.path.endswith("contacts/batch/upsert")]
    assert [len(r.json["inputs"]) for r in contacts] == [100, 50]
    first = contacts[0].json["inputs"][0]
    assert first["idProperty"] == "handoff_lead_id"
    owner_of = {
        i["id"]: i["properties"]["hubspot_owner_id"] for r in contacts for i in r.json["inputs"]
    }
    assert owner_of["L00002"] == "902"  # found on the owners' second page, by the rep's email
    task = next(r for r in server.requests if r.path.endswith("tasks/batch/upsert")).json["inputs"][
        0
    ]
    assert task["idProperty"] == "handoff_sync_key" and task["properties"]["hs_task_priority"]
    associations = [r for r in server.requests if "associations" in r.path]
    assert associations and associations[0].method == "PUT"
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    dead = [row for row in log_rows(warehouse) if row["status"] == "dead"]
    assert [row["key"] for row in dead] == ["sync00003"]
    assert "VALIDATION_ERROR" in dead[0]["last_error"]
    # burst limit: never more than 3 requests in any 0.5 s window
    calls = fake.calls
    assert all(calls[i + 3] - calls[i] >= 0.45 for i in range(len(calls) - 3))


def test_salesforce_batch_refused_whole_is_split_and_hubspot_faults_are_retried(tmp_path: Path):
    """A 400 for the whole request isolates the poison row; 429/drop/timeout are retried."""
    warehouse = feed_warehouse(tmp_path / "w.duckdb", crm_rows=8)

    def salesforce(request):
        leads = {r.get("Handoff_Lead_Id__c") for r in request.json["records"]}
        if "L00005" in leads:
            return Reply(400, body=[{"errorCode": "JSON_PARSER_ERROR", "message": "bad"}])
        return Reply(body=[{"success": True, "id": "x"} for _ in request.json["records"]])

    sf = {
        "salesforce": {
            "type": "salesforce",
            "enabled_when_set": "SF_URL",
            "instance_url_env": "SF_URL",
            "access_token_env": "SF_TOKEN",
        }
    }
    with FakeServer(salesforce) as server:
        report = _run(warehouse, sf, {"SF_URL": server.url, "SF_TOKEN": TOKEN})
    assert (report.targets[0].accepted, report.targets[0].dead) == (7, 1)
    [dead] = [row for row in log_rows(warehouse, "salesforce") if row["status"] == "dead"]
    assert dead["key"] == "sync00005" and "JSON_PARSER_ERROR" in dead["last_error"]

    fake = FakeHubSpot()
    faults = [Reply(429, headers={"Retry-After": "0"}), Reply(drop=True), Reply(delay=1.5)]

    def hubspot(request):
        if "contacts/batch/upsert" in request.path and faults:
            fake.calls.append(time.monotonic())
            return faults.pop(0)
        return fake(request)

    hs = {
        "hubspot": {
            "type": "hubspot",
            "enabled_when_set": "HS_TOKEN",
            "token_env": "HS_TOKEN",
            "base_url": "",
            "timeout_seconds": 1,
        }
    }
    with FakeServer(hubspot) as server:
        hs["hubspot"]["base_url"] = server.url
        report = _run(warehouse, hs, {"HS_TOKEN": TOKEN})
    assert (report.targets[0].accepted, report.targets[0].dead) == (7, 1)  # L00003 refused
    contact_calls = [r for r in server.requests if "contacts/batch/upsert" in r.path]
    assert len(contact_calls) == 4  # 429, dropped, timed out, then answered
