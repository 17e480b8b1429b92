"""`slack`: Web API chat.postMessage with Block Kit, the rep mentioned by slack_member_id.

slack-sdk's WebClient does the HTTP (base URL configurable); its own retry handlers are switched
off so the engine's policy is the only one. About one message per second per channel; 429 with
Retry-After honoured; a rep with `digest_threshold`+ alerts in a run gets one digest message.
"""

from __future__ import annotations

import http.client
import urllib.error
from typing import Any, ClassVar, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handoff.delivery.feeds import Row, keys_of
from handoff.delivery.http import parse_retry_after
from handoff.delivery.messages import (
    OPERATIONS,
    Message,
    digest_text,
    group_for_recipients,
    message_for,
)
from handoff.delivery.messages import utc_now as now
from handoff.delivery.outcomes import BatchResult, RefusedError, TransientError
from handoff.delivery.ratelimit import MinInterval
from handoff.delivery.targets.base import (
    AlertChannelSettings,
    RepDirectory,
    Target,
    require_secret,
)

TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable"}


class SlackSettings(AlertChannelSettings):
    type: Literal["slack"] = "slack"
    channel: str = "slack"
    base_url: str = "https://slack.com/api/"
    token_env: str = "HANDOFF_SLACK_BOT_TOKEN"
    fallback_channel: str | None = None
    operations_channel: str | None = None  # where alerts for recipient `operations` go
    seconds_per_message: float = 1.0

    def build(self, name: str, environ) -> SlackTarget:
        return SlackTarget(name, self, require_secret(environ, self.token_env, f"target {name}"))


def blocks(messages: list[Message]) -> list[dict[str, Any]]:
    """Block Kit: one card for an alert; a header and a line per lead for a digest."""
    first = messages[0]
    mention = f"<@{first.slack_member_id}> " if first.slack_member_id else ""
    if len(messages) == 1:
        fields = [
            f"*Tier*\n{first.tier}" + (f" · score {first.score}" if first.score else ""),
            f"*Trigger*\n{first.trigger}",
        ]
        if first.deadline:
            fields.append(f"*Deadline*\n{first.deadline}")
        if first.firmographics:
            fields.append(f"*Company*\n{first.firmographics}")
        who = f"{mention}*{first.who}*" + (f"\n{first.detail}" if first.detail else "")
        card: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": first.headline}},
            {"type": "section", "text": {"type": "mrkdwn", "text": who}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        ]
        if first.reasons:
            card.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": f"Why: {first.reasons}"}],
                }
            )
        if first.crm_url:
            card.append(_crm_button(first))
        return card
    digest = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"{len(messages)} leads need you"},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{mention}here is the list:"}},
    ]
    for message in messages[:45]:  # Block Kit allows 50 blocks a message
        link = f"<{message.crm_url}|{message.who}>" if message.crm_url else message.who
        digest.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{message.headline}*: {link} · tier {message.tier} · "
                    f"{message.trigger}\n{message.deadline}",
                },
            }
        )
    return digest


def _crm_button(message: Message) -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Open in CRM"},
                "url": message.crm_url,
            }
        ],
    }


class SlackTarget(Target):
    kind: ClassVar[str] = "slack"
    settings: SlackSettings

    def __init__(self, name: str, settings: SlackSettings, token: str):
        super().__init__(name, settings)
        self._token = token
        self._client: WebClient | None = None
        self._pace = MinInterval(settings.seconds_per_message)

    def row_filter(self, feed: str):
        return "channel = ?", [self.settings.channel]

    def batches(self, feed: str, rows):
        yield from group_for_recipients(rows, self.settings.digest_threshold)

    def open(self, directory: RepDirectory) -> None:
        base = self.settings.base_url.rstrip("/") + "/"
        self._client = WebClient(
            token=self._token,
            base_url=base,
            timeout=int(self.settings.timeout_seconds),
            retry_handlers=[],
        )

    def payload(self, rows: list[Row]) -> dict[str, Any]:
        messages = [message_for(row, now()) for row in rows]
        if messages[0].slack_channel:
            channel = messages[0].slack_channel
        elif messages[0].rep_id == OPERATIONS:
            channel = self.settings.operations_channel or self.settings.fallback_channel
        else:
            channel = messages[0].slack_member_id or self.settings.fallback_channel
        if not channel:
            raise RefusedError(
                f"recipient {messages[0].rep_id} has no slack_member_id and no "
                "operations_channel / fallback_channel is set"
            )
        text = messages[0].text if len(messages) == 1 else digest_text(messages)
        return {"channel": channel, "text": text, "blocks": blocks(messages)}

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        assert self._client is not None, "open() first"
        payload = self.payload(rows)
        self._pace.wait(payload["channel"])
        try:
            response = self._client.chat_postMessage(
                **payload, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as error:
            raise _classify(error) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            raise TransientError(f"Slack connection: {type(error).__name__}") from None
        return BatchResult.all_accepted(keys_of(feed, rows), response.get("ts"))


def _classify(error: SlackApiError) -> Exception:
    status = error.response.status_code
    code = error.response.get("error") if isinstance(error.response.data, dict) else None
    detail = f"Slack HTTP {status}: {code or 'error'}"
    if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
        headers = error.response.headers or {}
        retry_after = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
        return TransientError(detail, parse_retry_after(retry_after))
    return RefusedError(detail)
