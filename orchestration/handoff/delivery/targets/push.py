"""`push`: an ntfy-compatible HTTP push service. POST {base}/{topic} with the text as the body;
Title, Priority, Tags and Click (the CRM link) as headers; optional Bearer token from the env.
"""

from __future__ import annotations

from email.header import Header
from typing import ClassVar, Literal

import httpx

from handoff.delivery import http
from handoff.delivery.feeds import Row, keys_of
from handoff.delivery.messages import digest_text, group_for_recipients, message_for
from handoff.delivery.messages import utc_now as now
from handoff.delivery.outcomes import BatchResult
from handoff.delivery.targets.base import AlertChannelSettings, RepDirectory, Target


class PushSettings(AlertChannelSettings):
    type: Literal["push"] = "push"
    channel: str = "push"
    base_url: str = ""
    topic: str = "handoff-{rep_id}"
    token_env: str | None = "HANDOFF_PUSH_TOKEN"

    def build(self, name: str, environ) -> PushTarget:
        if not self.base_url:
            raise ValueError(f"target {name}: no push base URL (HANDOFF_PUSH_BASE_URL)")
        token = environ.get(self.token_env or "") or None
        return PushTarget(name, self, token)


def header_text(text: str) -> str:
    """HTTP headers are Latin-1: anything else goes RFC 2047-encoded (ntfy decodes it)."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return Header(text, "utf-8").encode()
    return text


class PushTarget(Target):
    kind: ClassVar[str] = "push"
    settings: PushSettings

    def __init__(self, name: str, settings: PushSettings, token: str | None):
        super().__init__(name, settings)
        self._token = token
        self._http: httpx.Client | None = None

    def row_filter(self, feed: str):
        return "channel = ?", [self.settings.channel]

    def batches(self, feed: str, rows):
        yield from group_for_recipients(rows, self.settings.digest_threshold)

    def open(self, directory: RepDirectory) -> None:
        auth = {"Authorization": f"Bearer {self._token}"} if self._token else None
        self._http = http.client(self.settings.timeout_seconds, auth)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def request(self, rows: list[Row]) -> tuple[str, str, dict[str, str]]:
        messages = [message_for(row, now()) for row in rows]
        first = messages[0]
        topic = self.settings.topic.format(rep_id=first.rep_id)
        if len(messages) == 1:
            title, body = f"{first.headline}: {first.who}", first.text
        else:
            title, body = f"{len(messages)} leads need you", digest_text(messages)
        headers = {
            "Title": header_text(title),
            "Priority": "high" if any(m.is_urgent for m in messages) else "default",
            "Tags": "rotating_light" if any(m.is_urgent for m in messages) else "bell",
        }
        if first.crm_url and len(messages) == 1:
            headers["Click"] = first.crm_url
        return topic, body, headers

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        assert self._http is not None, "open() first"
        topic, body, headers = self.request(rows)
        url = f"{self.settings.base_url.rstrip('/')}/{topic}"
        response = http.send(self._http, "POST", url, content=body.encode(), headers=headers)
        try:
            response_id = response.json().get("id")
        except (ValueError, AttributeError):
            response_id = None
        return BatchResult.all_accepted(keys_of(feed, rows), response_id)
