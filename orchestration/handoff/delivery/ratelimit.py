"""Client-side pacing so targets are not pushed into their rate limits in the first place."""

from __future__ import annotations

import threading
import time
from collections import deque


class MinInterval:
    """At most one call per `seconds` for each key (Slack: about one message a second a channel)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            ready = self._last.get(key, now - self.seconds) + self.seconds
            self._last[key] = max(now, ready)
        if ready > now:
            time.sleep(ready - now)


class SlidingWindow:
    """At most `limit` calls in any `window_seconds` (HubSpot's burst limit)."""

    def __init__(self, limit: int, window_seconds: float):
        self.limit = limit
        self.window_seconds = window_seconds
        self._calls: deque[float] = deque()

    def wait(self) -> None:
        now = time.monotonic()
        while self._calls and now - self._calls[0] >= self.window_seconds:
            self._calls.popleft()
        if len(self._calls) >= self.limit:
            time.sleep(self.window_seconds - (now - self._calls[0]))
            self._calls.popleft()
        self._calls.append(time.monotonic())
