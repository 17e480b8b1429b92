"""One `handoff deliver` run: every target in its own thread, batches retried, split, logged.

Per batch: record intent (log `retrying`, attempts + 1, the batch's idempotency key) -> send ->
record the result. A kill at any instant leaves rows `retrying` with their batch key; the next
run sends those batches first, with the same rows, so a re-send carries the same key.

Transient failures (connection, timeout, 408, 429, 5xx) are retried with exponential backoff and
jitter by stamina, waiting what Retry-After asks when it fits the batch's budget. A batch refused
with another 4xx is split in halves until the refused rows stand alone: only they go `dead`.
A target whose batches keep failing pauses for the rest of the run; the others go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import stamina

from handoff.delivery.config import DeliveryConfig, RetryPolicy
from handoff.delivery.feeds import FEEDS, MARTS_SCHEMA, Row, idempotency_key, keys_of, row_key
from handoff.delivery.log import DeliveryLog
from handoff.delivery.outcomes import BatchResult, RefusedError, TransientError, clip
from handoff.delivery.targets.base import RepDirectory, Target
from handoff.warehouse import HandoffError, connect, relation_exists

PAGE_ROWS = 2000


@dataclass
class TargetReport:
    """What one target did in a run (the summary's row)."""

    target: str
    kind: str
    sent: int = 0
    accepted: int = 0
    retrying: int = 0
    dead: int = 0
    requests: int = 0
    requeued: int = 0
    slowest_seconds: float = 0.0
    paused: str | None = None
    error: str | None = None
    would_send: dict[str, tuple[int, int]] = field(default_factory=dict)  # feed: rows, requests

    def observe(self, seconds: float) -> None:
        self.requests += 1
        self.slowest_seconds = max(self.slowest_seconds, seconds)


class TargetPaused(Exception):
    """Too many batches in a row exhausted their retries: the rest waits for the next run."""


class _RetriesExhausted(Exception):
    def __init__(self, keys: list[str], error: TransientError):
        super().__init__(str(error))
        self.keys = keys
        self.error = error


def backoff_hook(policy: RetryPolicy, deadline: float) -> Callable[[Exception], bool | float]:
    """stamina's `on=`: retry transient errors; a Retry-After is the wait when it fits."""

    def decide(error: Exception) -> bool | float:
        if not isinstance(error, TransientError):
            return False
        if error.retry_after is None:
            return True
        remaining = deadline - time.monotonic()
        if error.retry_after > min(policy.max_retry_after_seconds, remaining):
            return False
        return error.retry_after

    return decide


class TargetRun:
    """Delivers the pending rows of the selected feeds to one target."""

    def __init__(
        self,
        target: Target,
        log: DeliveryLog,
        policy: RetryPolicy,
        feeds: list[str],
        *,
        replay: bool,
    ):
        self.target = target
        self.log = log
        self.policy = policy
        self.feeds = [feed for feed in feeds if feed in target.feeds]
        self.replay = replay
        self.report = TargetReport(target.name, target.kind)
        self._failed_batches_in_a_row = 0

    def run(self, directory: RepDirectory) -> TargetReport:
        try:
            self.target.open(directory)
            try:
                for feed in self.feeds:
                    self._deliver_feed(feed)
            finally:
                self.target.close()
        except TargetPaused as pause:
            self.report.paused = str(pause)
        except Exception as error:  # one failing target never stops the others
            self.report.error = clip(f"{type(error).__name__}: {error}", 300)
        return self.report

    def _deliver_feed(self, feed: str) -> None:
        name, condition = self.target.name, self.target.row_filter(feed)
        if self.replay:
            self.report.requeued += self.log.requeue_dead(feed, name)
        resumed = self.log.resumable(feed, name, condition, has_log=True)
        for _, group in groupby(resumed, key=lambda pair: pair[0]):
            rows = [row for _, row in group]
            for batch in self.target.batches(feed, rows):
                self._deliver_batch(feed, batch)
        after: str | None = None
        while True:
            page = self.log.fresh_page(
                feed, name, condition, after_key=after, limit=PAGE_ROWS, has_log=True
            )
            if not page:
                return
            for batch in self.target.batches(feed, page):
                self._deliver_batch(feed, batch)
            after = max(row_key(feed, row) for row in page)

    def _deliver_batch(self, feed: str, rows: list[Row]) -> None:
        """Send with retries; split refused batches until the refused rows are isolated."""
        self.report.sent += len(rows)
        pending = [rows]
        while pending:
            group = pending.pop()
            try:
                self._send_with_retries(feed, group)
                self._failed_batches_in_a_row = 0
            except RefusedError as refusal:
                if len(group) == 1:
                    self._fail(feed, {row_key(feed, group[0]): str(refusal)}, dead=True)
                else:
                    middle = len(group) // 2
                    pending += [group[middle:], group[:middle]]
            except _RetriesExhausted as exhausted:
                errors = dict.fromkeys(exhausted.keys, str(exhausted.error))
                self._fail(feed, errors, dead=False)
                self._failed_batches_in_a_row += 1
                if self._failed_batches_in_a_row >= self.policy.failed_batches_before_pause:
                    raise TargetPaused(
                        f"{self._failed_batches_in_a_row} batches in a row failed "
                        f"({exhausted.error}); the rest waits for the next run"
                    ) from None

    def _send_with_retries(self, feed: str, rows: list[Row]) -> None:
        policy = self.policy
        deadline = time.monotonic() + policy.batch_timeout_seconds
        remaining = rows
        retrying = stamina.retry_context(
            on=backoff_hook(policy, deadline),
            attempts=policy.attempts_per_run,
            timeout=policy.batch_timeout_seconds,
            wait_initial=policy.initial_backoff_seconds,
            wait_max=policy.max_backoff_seconds,
            wait_jitter=policy.jitter_seconds,
        )
        try:
            for attempt in retrying:
                with attempt:
                    try:
                        remaining = self._attempt(feed, remaining)
                    except _PartialRetry as partial:
                        remaining = partial.rows
                        raise
        except TransientError as error:
            raise _RetriesExhausted(keys_of(feed, remaining), error) from None

    def _attempt(self, feed: str, rows: list[Row]) -> list[Row]:
        """Intent -> send -> result for one request. Returns nothing or raises for the rest."""
        keys = keys_of(feed, rows)
        batch_key = idempotency_key(feed, keys)
        self.log.record_intent(feed, self.target.name, keys, batch_key)
        started = time.monotonic()
        try:
            result = self.target.send(feed, rows, batch_key)
        finally:
            self.report.observe(time.monotonic() - started)
        self._record(feed, result)
        retry = [row for row in rows if row_key(feed, row) in result.retry]
        if retry:
            raise _PartialRetry(retry, next(iter(result.retry.values())))
        return []

    def _record(self, feed: str, result: BatchResult) -> None:
        self.log.record_delivered(feed, self.target.name, result.accepted)
        self.report.accepted += len(result.accepted)
        if result.refused:
            self._fail(feed, dict(result.refused), dead=True)

    def _fail(self, feed: str, errors: Mapping[str, str], *, dead: bool) -> None:
        written = self.log.record_failed(
            feed,
            self.target.name,
            errors,
            dead=dead,
            dead_after_attempts=self.policy.dead_after_attempts,
        )
        for status in written.values():
            if status == "dead":
                self.report.dead += 1
            else:
                self.report.retrying += 1


class _PartialRetry(TransientError):
    """Some rows of an answered request failed transiently: retry just those."""

    def __init__(self, rows: list[Row], detail: str):
        super().__init__(detail)
        self.rows = rows


@dataclass
class RunReport:
    feeds: list[str]
    targets: list[TargetReport]
    dry_run: bool = False

    @property
    def retrying(self) -> int:
        return sum(report.retrying for report in self.targets)

    @property
    def dead(self) -> int:
        return sum(report.dead for report in self.targets)

    @property
    def incomplete(self) -> bool:
        """Rows left for the next run: a target paused, failed, or rows still retrying."""
        return any(r.retrying or r.paused or r.error for r in self.targets)


def build_targets(
    config: DeliveryConfig, environ: Mapping[str, str], feeds: list[str]
) -> tuple[list[Target], list[TargetReport]]:
    """The enabled targets taking any of `feeds`; a target that cannot be built is reported."""
    targets, broken = [], []
    for name, target_settings in config.enabled_targets(environ).items():
        if not set(target_settings.feeds) & set(feeds):
            continue
        try:
            targets.append(target_settings.build(name, environ))
        except ValueError as error:
            broken.append(TargetReport(name, target_settings.type, error=clip(str(error), 300)))
    return targets, broken


def check_feeds(log: DeliveryLog, feeds: list[str]) -> None:
    with connect(log.database, read_only=True) as connection:
        missing = [f for f in feeds if not relation_exists(connection, MARTS_SCHEMA, f)]
    if missing:
        raise HandoffError(
            f"feed(s) {', '.join(missing)} not built in {log.database}: run `handoff build` first"
        )


def deliver(
    database: Path,
    config: DeliveryConfig,
    environ: Mapping[str, str],
    feeds: list[str] | None = None,
    *,
    dry_run: bool = False,
    replay: bool = False,
) -> RunReport:
    """Deliver every pending row of `feeds` (default: all) to every enabled target."""
    feeds = list(feeds or FEEDS)
    log = DeliveryLog(database)
    check_feeds(log, feeds)
    targets, broken = build_targets(config, environ, feeds)
    if dry_run:
        return RunReport(feeds, [*preview(log, targets, feeds, replay), *broken], dry_run=True)
    log.ensure()
    directory = RepDirectory(log.rep_emails() if any(t.needs_rep_emails for t in targets) else {})
    runs = [TargetRun(t, log, config.retry, feeds, replay=replay) for t in targets]
    reports: list[TargetReport] = []
    if runs:
        with ThreadPoolExecutor(max_workers=len(runs), thread_name_prefix="deliver") as pool:
            reports = list(pool.map(lambda run: run.run(directory), runs))
    return RunReport(feeds, [*reports, *broken])


def preview(
    log: DeliveryLog, targets: list[Target], feeds: list[str], replay: bool
) -> Iterator[TargetReport]:
    """--dry-run: what each target would be sent, in rows and requests; nothing is written."""
    has_log = log.exists()
    for target in targets:
        report = TargetReport(target.name, target.kind)
        for feed in (f for f in feeds if f in target.feeds):
            condition = target.row_filter(feed)
            pages = [
                [
                    row
                    for _, row in log.resumable(
                        feed,
                        target.name,
                        condition,
                        has_log=has_log,
                        read_only=True,
                        include_dead=replay,
                    )
                ]
            ]
            after = None
            while page := log.fresh_page(
                feed,
                target.name,
                condition,
                after_key=after,
                limit=PAGE_ROWS,
                has_log=has_log,
                read_only=True,
            ):
                pages.append(page)
                after = max(row_key(feed, row) for row in page)
            count = sum(len(page) for page in pages)
            requests = sum(1 for page in pages for _ in target.batches(feed, page))
            report.would_send[feed] = (count, requests)
            report.sent += count
            report.requests += requests
        yield report
