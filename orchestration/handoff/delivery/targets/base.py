"""What every delivery target has: its settings, which rows it takes, how it batches, one send."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handoff.delivery.feeds import FEEDS, Row
from handoff.delivery.outcomes import BatchResult


class TargetSettings(BaseModel):
    """One entry of `targets:` in deliveries.yml. Secrets are named by env var, never written."""

    model_config = ConfigDict(extra="forbid")

    type: str
    enabled: bool = True
    enabled_when_set: str | None = Field(
        default=None, description="Environment variable that switches the target on when set."
    )
    feeds: list[str]
    batch_size: int = Field(default=100, ge=1)
    timeout_seconds: float = Field(default=30.0, gt=0)

    @field_validator("feeds")
    @classmethod
    def _known_feeds(cls, feeds: list[str]) -> list[str]:
        unknown = [feed for feed in feeds if feed not in FEEDS]
        if unknown:
            raise ValueError(f"unknown feed(s) {unknown}; feeds are {list(FEEDS)}")
        return feeds

    def is_enabled(self, environ: Mapping[str, str]) -> bool:
        return self.enabled and (
            self.enabled_when_set is None or bool(environ.get(self.enabled_when_set))
        )

    def build(self, name: str, environ: Mapping[str, str]) -> Target:
        raise NotImplementedError


class AlertChannelSettings(TargetSettings):
    """A person-facing channel: takes the `sla_alerts` rows whose `channel` column is its own."""

    feeds: list[str] = ["sla_alerts"]
    channel: str
    digest_threshold: int = Field(
        default=3, ge=2, description="This many alerts for one person in a run become one digest."
    )

    @field_validator("feeds")
    @classmethod
    def _alerts_only(cls, feeds: list[str]) -> list[str]:
        if feeds != ["sla_alerts"]:
            raise ValueError("a chat, email or push target takes the sla_alerts feed only")
        return feeds


def require_secret(environ: Mapping[str, str], name: str | None, what: str) -> str:
    value = environ.get(name or "") if name else None
    if not value:
        raise ValueError(f"{what}: set the environment variable {name}")
    return value


class Target:
    """A destination. `send` makes one request (or message) for a batch and reports per row."""

    kind: ClassVar[str]
    needs_rep_emails: ClassVar[bool] = False

    def __init__(self, name: str, settings: TargetSettings):
        self.name = name
        self.settings = settings

    @property
    def feeds(self) -> list[str]:
        return list(self.settings.feeds)

    def row_filter(self, feed: str) -> tuple[str, list[Any]] | None:
        """A SQL condition on the feed's columns selecting this target's rows (None: all)."""
        return None

    def batches(self, feed: str, rows: Sequence[Row]) -> Iterator[list[Row]]:
        size = self.settings.batch_size
        for start in range(0, len(rows), size):
            yield list(rows[start : start + size])

    def open(self, directory: RepDirectory) -> None:
        """Called once per run before the first send (clients, connections, lookups)."""

    def close(self) -> None:
        """Called once per run after the last send."""

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        """Deliver `rows` (one request); raise TransientError or RefusedError for the batch."""
        raise NotImplementedError


class RepDirectory:
    """What delivery looks up about reps at send time (email addresses stay out of the feeds)."""

    def __init__(self, emails: Mapping[str, str] | None = None):
        self._emails = dict(emails or {})

    def email(self, rep_id: str) -> str | None:
        return self._emails.get(rep_id)
