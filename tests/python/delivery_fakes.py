"""Test doubles for delivery: a scriptable local HTTP server, a tiny warehouse with both feeds,
and a fast retry policy. Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

FAST_RETRY = {
    "attempts_per_run": 5,
    "initial_backoff_seconds": 0.01,
    "max_backoff_seconds": 0.05,
    "jitter_seconds": 0.0,
    "max_retry_after_seconds": 5,
    "batch_timeout_seconds": 20,
    "dead_after_attempts": 30,
    "failed_batches_before_pause": 3,
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering


class FakeServer:
    """A threaded HTTP server on 127.0.0.1 and a free port; `handler` decides each answer."""

    def __init__(self, handler: Callable[[Request], Reply] | None = None):
        self.handler = handler or (lambda request: Reply())
        self.requests: list[Request] = []
        self.answered: list[tuple[Request, int]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                with server._lock:
                    server.requests.append(request)
                reply = server.handler(request)
                if reply.delay:
                    threading.Event().wait(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = (
                    reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                )
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    return
                with server._lock:
                    server.answered.append((request, reply.status))

            do_GET = do_POST = do_PATCH = do_PUT = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def accepted(self) -> list[Request]:
        return [request for request, status in self.answered if 200 <= status < 300]


def feed_warehouse(
    path: Path,
    *,
    crm_rows: int = 0,
    alert_rows: int = 0,
    channels: tuple[str, ...] = ("slack",),
    reps: int = 3,
) -> Path:
    """A warehouse holding just the two feeds (marts) and the reps (staging), no dbt needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    channel_list = ", ".join(f"'{channel}'" for channel in channels)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema if not exists marts; create schema if not exists staging")
        connection.execute(
            f"""
            create or replace table marts.crm_assignment_sync as
            select
                'sync' || lpad(cast(i as varchar), 5, '0') as sync_key,
                'L' || lpad(cast(i as varchar), 5, '0') as lead_id,
                'R' || cast(i % {reps} as varchar) as rep_id,
                'round_robin' as assignment_type,
                true as is_current_owner,
                'U' || cast(i % {reps} as varchar) as rep_slack_member_id,
                1 + i % 3 as priority_tier,
                timestamp '2026-03-20 12:00:00' + to_minutes(i) as sla_due_at,
                timestamp '2026-03-20 11:45:00' as assigned_at,
                'https://crm.test/leads/L' || lpad(cast(i as varchar), 5, '0') as crm_lead_url,
                'Europe/Berlin' as rep_timezone,
                'Lead ' || cast(i as varchar) as lead_name,
                'VP Sales' as job_title,
                'Acme ' || cast(i as varchar) as company_name,
                'demo_request' as trigger_event_type,
                timestamp '2026-03-20 11:44:00' as trigger_event_at,
                'demo_request x1 (+10.0 timeline)' as top_score_reasons,
                'software' as industry,
                250 as employee_count,
                'dbt;aws' as tech_stack,
                71.5 as total_score
            from range({crm_rows}) as t(i)
            """
        )
        connection.execute(
            f"""
            create or replace table marts.sla_alerts as
            select
                'alert' || lpad(cast(i as varchar), 5, '0') as alert_key,
                'L' || lpad(cast(i as varchar), 5, '0') as lead_id,
                'R' || cast(i % {reps} as varchar) as rep_id,
                'new_assignment' as alert_type,
                [{channel_list}][1 + i % {len(channels)}] as channel,
                timestamp '2026-03-20 12:15:00' as due_at,
                'assignee' as recipient_role,
                timestamp '2026-03-20 12:00:00' as event_at,
                1 as priority_tier,
                'j***@acme.com' as masked_email,
                'Acme ' || cast(i as varchar) as company_name,
                'U' || cast(i % {reps} as varchar) as recipient_slack_member_id,
                'https://crm.test/leads/L' || lpad(cast(i as varchar), 5, '0') as crm_lead_url,
                'Lead assigned to you' as message,
                'Rep ' || cast(i % {reps} as varchar) as recipient_name,
                'America/New_York' as recipient_timezone,
                'Lead ' || cast(i as varchar) as lead_name,
                'VP Sales' as job_title,
                71.5 as total_score,
                'demo_request x1 (+10.0 timeline)' as top_score_reasons,
                'demo_request' as trigger_event_type,
                timestamp '2026-03-20 11:57:00' as trigger_event_at,
                'software' as industry,
                250 as employee_count,
                'dbt;aws' as tech_stack
            from range({alert_rows}) as t(i)
            """
        )
        connection.execute(
            f"""
            create or replace table staging.stg_crm__sales_reps as
            select 'R' || cast(i as varchar) as rep_id,
                'rep' || cast(i as varchar) || '@sales.test' as email,
                cast(null as varchar) as quarantine_reason
            from range({reps}) as t(i)
            """
        )
    return path


def log_rows(warehouse: Path, target: str | None = None) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(
            "select * from ops.delivery_log" + (" where target = ?" if target else ""),
            [target] if target else [],
        )
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def config(targets: dict[str, dict], retry: dict | None = None) -> dict:
    return {"retry": {**FAST_RETRY, **(retry or {})}, "targets": targets}
