"""`webhook`: contract §5. POST {"feed": ..., "rows": [...]} (≤ 100 rows), Idempotency-Key stable
for the same set of rows, `X-Handoff-Signature: sha256=<HMAC-SHA256 of the body>` with a secret.
A 2xx accepts every row of the batch. Switched on for both feeds by HANDOFF_WEBHOOK_URL.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar, Literal

import httpx
from pydantic import Field

from handoff.delivery import http
from handoff.delivery.feeds import Row, dumps, keys_of
from handoff.delivery.outcomes import BatchResult
from handoff.delivery.targets.base import RepDirectory, Target, TargetSettings, require_secret

MAX_ROWS = 100


class WebhookSettings(TargetSettings):
    type: Literal["webhook"] = "webhook"
    url_env: str = "HANDOFF_WEBHOOK_URL"
    secret_env: str | None = "HANDOFF_WEBHOOK_SECRET"
    batch_size: int = Field(default=MAX_ROWS, ge=1, le=MAX_ROWS)

    def build(self, name: str, environ) -> WebhookTarget:
        url = require_secret(environ, self.url_env, f"target {name}")
        secret = environ.get(self.secret_env) if self.secret_env else None
        return WebhookTarget(name, self, url, secret or None)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookTarget(Target):
    kind: ClassVar[str] = "webhook"

    def __init__(self, name: str, settings: WebhookSettings, url: str, secret: str | None):
        super().__init__(name, settings)
        self._url = url
        self._secret = secret
        self._http: httpx.Client | None = None

    def open(self, directory: RepDirectory) -> None:
        self._http = http.client(self.settings.timeout_seconds)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def request(self, feed: str, rows: list[Row], batch_key: str) -> tuple[bytes, dict[str, str]]:
        """The exact body and headers of a batch (also what --dry-run shows)."""
        body = dumps({"feed": feed, "rows": rows}).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": batch_key}
        if self._secret:
            headers["X-Handoff-Signature"] = signature(self._secret, body)
        return body, headers

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        assert self._http is not None, "open() first"
        body, headers = self.request(feed, rows, batch_key)
        response = http.send(self._http, "POST", self._url, content=body, headers=headers)
        return BatchResult.all_accepted(keys_of(feed, rows), _response_id(response))


def _response_id(response: httpx.Response) -> str | None:
    """The receiver's id for the batch when it gives one (JSON `id`, or an X-Request-Id)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("id") is not None:
        return str(body["id"])[:200]
    return response.headers.get("X-Request-Id")
