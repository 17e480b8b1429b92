"""What reps receive: the message wording, and Slack, email (SMTP with STARTTLS) and push
against local servers: who gets what, pacing, digests, 429, refusals, one SMTP connection.
"""

from __future__ import annotations

import email
import socket
import ssl
import subprocess
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from delivery_fakes import FakeServer, Reply, config, feed_warehouse, log_rows
from handoff.delivery import deliver
from handoff.delivery.config import parse_config
from handoff.delivery.messages import (
    ContactDetailsError,
    ago,
    assert_no_contact_details,
    group_for_recipients,
    local_time,
    message_for,
)

NOW = datetime(2026, 3, 20, 12, 0, 0)
ROW = {
    "lead_id": "L1",
    "rep_id": "R1",
    "alert_type": "new_assignment",
    "recipient_role": "assignee",
    "lead_name": "Jane Doe",
    "job_title": "VP Sales",
    "company_name": "Acme",
    "priority_tier": 1,
    "total_score": 71.6,
    "trigger_event_type": "demo_request",
    "trigger_event_at": datetime(2026, 3, 20, 11, 57),
    "top_score_reasons": "demo x1 (+10 need)",
    "industry": "software",
    "employee_count": 1200,
    "tech_stack": "dbt;aws",
    "due_at": datetime(2026, 3, 20, 12, 15),
    "recipient_timezone": "Europe/Berlin",
    "crm_lead_url": "https://crm.test/leads/L1",
    "masked_email": "j***@acme.com",
    "recipient_slack_member_id": "U1",
}


def test_message_has_what_a_rep_acts_on_in_their_time_zone():
    text = message_for(ROW, NOW).text
    for fact in (
        "New lead for you: Jane Doe, VP Sales at Acme",
        "Tier 1",
        "score 72",
        "requested a demo 3 minutes ago",
        "Why: demo x1 (+10 need)",
        "software · 1,200 employees · uses dbt, aws",
        "First touch due Fri 20 Mar 13:15 CET (in 15 min)",
        "https://crm.test/leads/L1",
        "j***@acme.com",
    ):
        assert fact in text
    manager = message_for(
        {
            **ROW,
            "alert_type": "sla_breached",
            "recipient_role": "manager",
            "recipient_timezone": "America/New_York",
            "due_at": datetime(2026, 3, 20, 11, 0),
        },
        NOW,
    ).text
    assert manager.startswith("Your team missed a first-touch SLA")
    assert "was due Fri 20 Mar 07:00 EDT (60 minutes ago)" in manager  # DST already on in NY
    bare = message_for({"lead_id": "L2", "rep_id": "R1", "alert_type": "custom_alert"}, NOW).text
    assert bare.startswith("Custom alert: Lead L2") and "No first-touch deadline" in bare
    assert ago(datetime(2026, 3, 17, 12, 0), NOW) == "3 days ago"
    assert local_time(NOW, "Not/AZone").endswith("UTC")
    with pytest.raises(ContactDetailsError):
        assert_no_contact_details("call jane.doe@acme.com")
    with pytest.raises(ContactDetailsError):
        assert_no_contact_details("call +49 30 1234 5678")
    assert assert_no_contact_details("Lead L00000468 (j***@acme.com)")


def test_operations_and_team_level_alerts_read_in_the_warehouse_words():
    unowned = message_for(
        {
            **ROW,
            "rep_id": None,
            "recipient": "operations",
            "recipient_role": "operations",
            "alert_type": "unassigned_lead",
            "event_kind": "unassigned",
            "headline": "Unassigned lead: no active rep can take it",
            "event_detail": "Its first touch is due 2026-03-20 12:15 UTC on the default calendar.",
            "recipient_timezone": None,
        },
        NOW,
    )
    assert unowned.rep_id == "operations"
    assert unowned.text.startswith("Unassigned lead: no active rep can take it: Jane Doe")
    assert "on the default calendar" in unowned.text and "Tier 1" in unowned.text
    drop = message_for(
        {
            "lead_id": None,
            "rep_id": "M1",
            "recipient": "M1",
            "recipient_role": "team_manager",
            "alert_type": "compliance_drop",
            "event_kind": "compliance_drop",
            "team": "emea",
            "headline": "Sustained compliance drop",
            "event_detail": "Team emea, tier 1: compliance 61.0 % (target from 85.0 %).",
        },
        NOW,
    ).text
    assert drop.startswith(
        "Sustained compliance drop: team emea\nTeam emea, tier 1: compliance 61.0 %"
    )
    assert "Lead " not in drop and "deadline" not in drop.lower()
    assert [len(group) for group in group_for_recipients([unowned_row, unowned_row], 3)] == [1, 1]


unowned_row = {"lead_id": "L9", "rep_id": None, "recipient": "operations"}


def _run(warehouse: Path, targets: dict, environ: dict):
    cfg = parse_config(config(targets), environ)
    return deliver(warehouse, cfg, environ, ["sla_alerts"])


def slack_target(server: FakeServer, seconds_per_message: float) -> dict:
    return {
        "slack": {
            "type": "slack",
            "enabled_when_set": "SLACK_TOKEN",
            "token_env": "SLACK_TOKEN",
            "base_url": server.url + "/api/",
            "seconds_per_message": seconds_per_message,
        }
    }


def test_slack_blocks_mention_pacing_digest_429_and_refusal(tmp_path: Path):
    # rep R0: 3 alerts (a digest), R1: 2 alerts, R2: 1 alert whose Slack id is unknown to Slack
    warehouse = feed_warehouse(tmp_path / "w.duckdb", alert_rows=6, reps=3)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "update marts.sla_alerts set rep_id = 'R0', recipient_slack_member_id"
            " = 'U0' where alert_key = 'alert00005'"
        )
    calls: list[tuple[float, dict]] = []
    limited = [True]

    def handler(request):
        body = request.json
        calls.append((time.monotonic(), body))
        if body["channel"] == "U1" and limited[0]:
            limited[0] = False
            return Reply(
                429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "1"}
            )
        if body["channel"] == "U2":
            return Reply(body={"ok": False, "error": "channel_not_found"})
        return Reply(body={"ok": True, "ts": f"{len(calls)}.0001", "channel": body["channel"]})

    with FakeServer(handler) as server:
        report = _run(warehouse, slack_target(server, 0.4), {"SLACK_TOKEN": "xoxb-canary"})
    [slack] = report.targets
    assert (slack.accepted, slack.dead) == (5, 1)
    assert all(r.path == "/api/chat.postMessage" for r in server.requests)
    assert server.requests[0].headers["authorization"] == "Bearer xoxb-canary"
    by_channel: dict[str, list] = {}
    for moment, body in calls:
        by_channel.setdefault(body["channel"], []).append((moment, body))
    digest = by_channel["U0"][0][1]
    assert len(by_channel["U0"]) == 1 and digest["text"].startswith("3 leads need you now")
    assert digest["blocks"][0]["text"]["text"] == "3 leads need you"
    single = by_channel["U1"][-1][1]
    assert single["blocks"][1]["text"]["text"].startswith("<@U1> *Lead ")
    assert single["blocks"][-1]["elements"][0]["url"].startswith("https://crm.test/leads/")
    # R1's first message hit a 429: its retry waited the Retry-After; then about 1 per 0.4 s
    u1 = [moment for moment, _ in by_channel["U1"]]
    assert u1[1] - u1[0] >= 0.95 and u1[2] - u1[1] >= 0.3
    dead = [row for row in log_rows(warehouse) if row["status"] == "dead"]
    assert [row["key"] for row in dead] == ["alert00002"]
    assert "channel_not_found" in dead[0]["last_error"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list = []
        self.sessions: set = set()
        self.fail_next: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.fail_next:
            return self.fail_next.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted"


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_email_over_starttls_one_connection_digest_and_smtp_codes(tmp_path: Path, tls_files):
    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    inbox.fail_next = ["451 try again later"]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    try:
        # R0 gets 3 alerts (one digest), R1 and R2 one each; R2 has no email address
        warehouse = feed_warehouse(tmp_path / "w.duckdb", alert_rows=5, channels=("email",), reps=3)
        with duckdb.connect(str(warehouse)) as connection:
            connection.execute(
                "update marts.sla_alerts set rep_id = 'R0' where alert_key = 'alert00004'"
            )
            connection.execute(
                "update staging.stg_crm__sales_reps set email = null where rep_id = 'R2'"
            )
        port = controller.port
        target = {
            "email": {
                "type": "email",
                "enabled_when_set": "SMTP_HOST",
                "host": "127.0.0.1",
                "port": port,
                "starttls": True,
                "ca_file": str(cert),
            }
        }
        report = _run(warehouse, target, {"SMTP_HOST": "127.0.0.1"})
    finally:
        controller.stop()
    [smtp_report] = report.targets
    assert (smtp_report.accepted, smtp_report.dead) == (4, 1)
    assert len(inbox.messages) == 2 and len(inbox.sessions) == 1  # one connection per run
    recipients = sorted(tuple(rcpt) for rcpt, _ in inbox.messages)
    assert recipients == [("rep0@sales.test",), ("rep1@sales.test",)]
    digest = next(text for rcpt, text in inbox.messages if rcpt == ["rep0@sales.test"])
    assert "Subject: [lead handoff] 3 leads need you" in digest
    body = email.message_from_string(digest).get_payload()
    assert "@sales.test" not in body and "3 leads need you now" in body
    log = log_rows(warehouse)
    [dead] = [row for row in log if row["status"] == "dead"]
    assert dead["key"] == "alert00002" and "no email address" in dead["last_error"]
    assert max(row["attempts"] for row in log) == 2  # the 451 was temporary: sent again


def test_push_to_ntfy_topic_with_title_priority_and_click(tmp_path: Path):
    warehouse = feed_warehouse(tmp_path / "w.duckdb", alert_rows=3, channels=("push", "slack"))
    with duckdb.connect(str(warehouse)) as connection:  # a raw address slipped into a name
        connection.execute(
            "update marts.sla_alerts set lead_name = 'Jo jo.smith@leak.test' "
            "where alert_key = 'alert00002'"
        )
    with FakeServer(lambda request: Reply(body={"id": "msg1"})) as server:
        target = {
            "push": {
                "type": "push",
                "enabled_when_set": "PUSH_URL",
                "base_url": server.url + "/ntfy",
                "token_env": "PUSH_TOKEN",
            }
        }
        report = _run(warehouse, target, {"PUSH_URL": "on", "PUSH_TOKEN": "tk-canary"})
    # only the rows routed to the push channel; the one that would leak an address is refused
    assert (report.targets[0].accepted, report.targets[0].dead) == (1, 1)
    [request] = server.requests
    assert request.path == "/ntfy/handoff-R0"
    assert request.headers["authorization"] == "Bearer tk-canary"
    assert request.headers["priority"] == "high"
    assert request.headers["click"] == "https://crm.test/leads/L00000"
    assert request.headers["title"].startswith("New lead for you: Lead 0")
    assert "requested a demo" in request.body.decode()
    log = {row["key"]: row for row in log_rows(warehouse)}
    assert log["alert00000"]["response_id"] == "msg1"
    assert "email address or phone number" in log["alert00002"]["last_error"]
    assert "leak.test" not in log["alert00002"]["last_error"]


def test_feedback_notices_go_to_the_marketing_channel_of_the_campaign(tmp_path: Path):
    # two notices to two campaign channels, one to the default channel: one post per channel
    warehouse = feed_warehouse(tmp_path / "w.duckdb", alert_rows=3, reps=1)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            """
            alter table marts.sla_alerts add column recipient varchar;
            alter table marts.sla_alerts add column recipient_slack_channel varchar;
            alter table marts.sla_alerts add column event_kind varchar;
            alter table marts.sla_alerts add column event_detail varchar;
            update marts.sla_alerts set
                rep_id = null,
                recipient_role = 'marketing',
                alert_type = 'lead_rejected',
                event_kind = 'disposition',
                event_detail = 'Marked rejected by rep R0, reason: wrong_persona.',
                recipient_slack_member_id = null,
                recipient_timezone = null,
                recipient_slack_channel = ['#mkt-webinars', '#mkt-events', '#marketing'][
                    1 + cast(right(alert_key, 1) as integer)],
                recipient = 'marketing:' || ['#mkt-webinars', '#mkt-events', '#marketing'][
                    1 + cast(right(alert_key, 1) as integer)]
            """
        )
    posted: list[dict] = []

    def handler(request):
        posted.append(request.json)
        return Reply(body={"ok": True, "ts": f"{len(posted)}.0001"})

    with FakeServer(handler) as server:
        report = _run(warehouse, slack_target(server, 0), {"SLACK_TOKEN": "xoxb-canary"})
    assert (report.targets[0].accepted, report.targets[0].dead) == (3, 0)
    assert sorted(body["channel"] for body in posted) == [
        "#marketing",
        "#mkt-events",
        "#mkt-webinars",
    ]
    for body in posted:
        assert body["text"].startswith("Lead rejected: Lead ")
        assert "reason: wrong_persona" in body["text"] and "reason: wrong_persona" in str(
            body["blocks"]
        )
        assert "First touch" not in body["text"] and "Deadline" not in str(body["blocks"])
        assert "<@" not in str(body["blocks"])
