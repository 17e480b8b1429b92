"""What a target says about a batch: accepted rows, refused rows, or an error for the whole batch.

`TransientError` (connection error, timeout, 429, 5xx) is retried with backoff; `RefusedError`
(any other 4xx) splits the batch until the refused rows are isolated. Messages are written for
the delivery log: never a URL, a token or an address.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ERROR_CHARS = 1000


def clip(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TransientError(Exception):
    """The batch may succeed later; `retry_after` is the target's own wait in seconds, if any."""

    def __init__(self, detail: str, retry_after: float | None = None):
        super().__init__(clip(detail))
        self.retry_after = retry_after


class RefusedError(Exception):
    """The target refused the batch as a whole (a 4xx other than 408/429); its answer is kept."""

    def __init__(self, answer: str):
        super().__init__(clip(answer))


@dataclass
class BatchResult:
    """Per-row outcome of one request: key -> the target's id, refusal, or transient failure."""

    accepted: dict[str, str | None] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    retry: dict[str, str] = field(default_factory=dict)

    @classmethod
    def all_accepted(cls, keys: list[str], response_id: str | None) -> BatchResult:
        return cls(accepted=dict.fromkeys(keys, response_id))
