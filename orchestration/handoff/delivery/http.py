"""HTTP for the targets (httpx): one client per run, answers classified as §5 says.

Connection errors, timeouts, 408, 429 and 5xx are transient (429/503 with their Retry-After);
any other 4xx refuses the batch. Error texts never carry the URL (a webhook URL can be a secret).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from handoff.delivery.outcomes import RefusedError, TransientError, clip

RETRYABLE_STATUS = {408, 425, 429}
_URL = re.compile(r"\w+://\S+")


def client(timeout_seconds: float, headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(timeout=timeout_seconds, headers=headers, follow_redirects=False)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def describe_transport_error(error: Exception) -> str:
    text = _URL.sub("<url>", str(error))
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def answer_text(response: httpx.Response) -> str:
    return clip(f"HTTP {response.status_code}: {_URL.sub('<url>', response.text or '')}")


def check(response: httpx.Response) -> httpx.Response:
    """The response if 2xx; TransientError or RefusedError otherwise."""
    status = response.status_code
    if 200 <= status < 300:
        return response
    if status in RETRYABLE_STATUS or status >= 500:
        raise TransientError(
            answer_text(response), parse_retry_after(response.headers.get("Retry-After"))
        )
    raise RefusedError(answer_text(response))


def send(http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    """One request; transport failures become TransientError (the request may be retried)."""
    try:
        response = http.request(method, url, **kwargs)
    except httpx.TransportError as error:
        raise TransientError(describe_transport_error(error)) from None
    return check(response)
