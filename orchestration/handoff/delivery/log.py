"""`ops.delivery_log`: every row each target was sent, its status and attempts (contract §5).

Owned here, not by dbt: created when missing, in its own schema, so a dbt `--full-refresh`
never touches it (dbt declares it as a source). One row per feed x key x target:

- before a request: `retrying`, attempts + 1, the batch's idempotency key  (intent)
- after it: `delivered` with the target's response id, or `retrying`/`dead` with the error.

A process killed between the two leaves `retrying` with the batch key, and the next run sends
the same rows again under the same key. Each step opens the warehouse, writes and closes it:
nothing is held open while waiting on the network.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from handoff import schemas
from handoff.delivery.feeds import Row, key_column
from handoff.warehouse import WarehouseBusyError, connect, relation_exists

SCHEMA = "ops"
TABLE = "delivery_log"
QUALIFIED = f"{SCHEMA}.{TABLE}"
STATUSES = ("delivered", "retrying", "dead")

CREATE = f"""
create schema if not exists {SCHEMA};
create table if not exists {QUALIFIED} (
    feed varchar not null,
    key varchar not null,
    target varchar not null,
    status varchar not null,
    attempts integer not null,
    last_error varchar,
    first_attempt_at timestamp not null,
    last_attempt_at timestamp not null,
    response_id varchar,
    batch_key varchar,
    delivered_at timestamp,
    primary key (feed, key, target)
)
"""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class DeliveryLog:
    """The log of one warehouse file; safe to share between a run's target threads."""

    def __init__(self, database: Path, *, busy_timeout_seconds: float = 60.0):
        self.database = Path(database)
        self.busy_timeout_seconds = busy_timeout_seconds
        self._lock = threading.Lock()

    @contextmanager
    def _connection(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """One short connection under the process lock; waits while another process writes."""
        deadline = time.monotonic() + self.busy_timeout_seconds
        with self._lock:
            while True:
                try:
                    with connect(self.database, read_only=read_only) as connection:
                        yield connection
                    return
                except WarehouseBusyError:
                    if time.monotonic() >= deadline:
                        raise
                    time.sleep(0.2)

    def ensure(self) -> None:
        with self._connection() as connection:
            connection.execute(CREATE)

    def exists(self) -> bool:
        with self._connection(read_only=True) as connection:
            return relation_exists(connection, SCHEMA, TABLE)

    # --- reading -----------------------------------------------------------------------------

    @staticmethod
    def _rows(cursor: duckdb.DuckDBPyConnection) -> list[Row]:
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]

    def _feed_query(self, feed: str, condition: tuple[str, list[Any]] | None) -> tuple[str, list]:
        sql = f"select * from {schemas.relation(schemas.MARTS, feed)}"
        if condition:
            return f"{sql} where {condition[0]}", list(condition[1])
        return sql, []

    def resumable(
        self,
        feed: str,
        target: str,
        condition: tuple[str, list[Any]] | None,
        *,
        has_log: bool,
        read_only: bool = False,
        include_dead: bool = False,
    ) -> list[tuple[str | None, Row]]:
        """Rows tried before and not accepted (`retrying`), with the batch key of their last try.

        `include_dead` adds the dead rows too (what --replay-dead-letters would send).
        """
        if not has_log:
            return []
        rows_sql, params = self._feed_query(feed, condition)
        key = key_column(feed)
        sql = f"""
            select log.batch_key as _batch_key, feed_rows.*
            from ({rows_sql}) as feed_rows
            inner join {QUALIFIED} as log
                on log.feed = ? and log.target = ? and log.key = feed_rows.{key}
            where log.status in ('retrying', {"'dead'" if include_dead else "'retrying'"})
            order by log.batch_key, feed_rows.{key}
        """
        with self._connection(read_only=read_only) as connection:
            rows = self._rows(connection.execute(sql, [*params, feed, target]))
        return [(row.pop("_batch_key"), row) for row in rows]

    def fresh_page(
        self,
        feed: str,
        target: str,
        condition: tuple[str, list[Any]] | None,
        *,
        after_key: str | None,
        limit: int,
        has_log: bool,
        read_only: bool = False,
    ) -> list[Row]:
        """Up to `limit` feed rows never tried on `target`, in key order after `after_key`."""
        rows_sql, params = self._feed_query(feed, condition)
        key = key_column(feed)
        not_logged = (
            f"not exists (select 1 from {QUALIFIED} as log where log.feed = ? and log.target = ? "
            f"and log.key = feed_rows.{key})"
            if has_log
            else "true"
        )
        sql = f"""
            select feed_rows.* from ({rows_sql}) as feed_rows
            where feed_rows.{key} > ? and {not_logged}
            order by feed_rows.{key}
            limit {int(limit)}
        """
        log_params = [feed, target] if has_log else []
        with self._connection(read_only=read_only) as connection:
            return self._rows(connection.execute(sql, [*params, after_key or "", *log_params]))

    def rep_emails(self) -> dict[str, str]:
        """rep_id -> email, read at send time for the email target (never logged)."""
        with self._connection(read_only=True) as connection:
            if not relation_exists(connection, "staging", "stg_crm__sales_reps"):
                return {}
            rows = connection.execute(
                "select rep_id, email from staging.stg_crm__sales_reps where email is not null"
            ).fetchall()
        return dict(rows)

    def statuses(self, feed: str, target: str) -> dict[str, int]:
        with self._connection(read_only=True) as connection:
            if not relation_exists(connection, SCHEMA, TABLE):
                return {}
            return dict(
                connection.execute(
                    f"select status, count(*) from {QUALIFIED} "
                    "where feed = ? and target = ? group by status",
                    [feed, target],
                ).fetchall()
            )

    # --- writing -----------------------------------------------------------------------------

    def requeue_dead(self, feed: str, target: str) -> int:
        """--replay-dead-letters: dead rows become `retrying` with a fresh retry budget."""
        with self._connection() as connection:
            requeued = connection.execute(
                f"update {QUALIFIED} set status = 'retrying', attempts = 0 "
                "where feed = ? and target = ? and status = 'dead' returning key",
                [feed, target],
            ).fetchall()
        return len(requeued)

    def record_intent(self, feed: str, target: str, keys: Sequence[str], batch_key: str) -> None:
        now = utc_now()
        batch = pa.table({"key": list(keys)})
        with self._connection() as connection:
            connection.register("intent_batch", batch)
            connection.execute(
                f"""
                insert into {QUALIFIED} (
                    feed, key, target, status, attempts, first_attempt_at, last_attempt_at,
                    batch_key
                )
                select ?, key, ?, 'retrying', 1, ?, ?, ? from intent_batch
                on conflict (feed, key, target) do update set
                    status = 'retrying',
                    attempts = {QUALIFIED}.attempts + 1,
                    last_attempt_at = excluded.last_attempt_at,
                    batch_key = excluded.batch_key
                """,
                [feed, target, now, now, batch_key],
            )

    def record_delivered(self, feed: str, target: str, accepted: Mapping[str, str | None]) -> None:
        if not accepted:
            return
        batch = pa.table(
            {"key": list(accepted), "response_id": [accepted[key] for key in accepted]},
            schema=pa.schema([("key", pa.string()), ("response_id", pa.string())]),
        )
        with self._connection() as connection:
            connection.register("accepted_batch", batch)
            connection.execute(
                f"""
                update {QUALIFIED} set
                    status = 'delivered',
                    response_id = accepted_batch.response_id,
                    delivered_at = ?,
                    last_error = null
                from accepted_batch
                where {QUALIFIED}.feed = ? and {QUALIFIED}.target = ?
                    and {QUALIFIED}.key = accepted_batch.key
                """,
                [utc_now(), feed, target],
            )

    def record_failed(
        self,
        feed: str,
        target: str,
        errors: Mapping[str, str],
        *,
        dead: bool,
        dead_after_attempts: int,
    ) -> dict[str, str]:
        """Store each row's error; `dead` now, or once its attempts reach the limit.

        Returns key -> the status written.
        """
        if not errors:
            return {}
        batch = pa.table({"key": list(errors), "error": [errors[key] for key in errors]})
        with self._connection() as connection:
            connection.register("failed_batch", batch)
            rows = connection.execute(
                f"""
                update {QUALIFIED} set
                    status = case
                        when ? or {QUALIFIED}.attempts >= ? then 'dead' else 'retrying'
                    end,
                    last_error = failed_batch.error
                from failed_batch
                where {QUALIFIED}.feed = ? and {QUALIFIED}.target = ?
                    and {QUALIFIED}.key = failed_batch.key
                returning {QUALIFIED}.key, {QUALIFIED}.status
                """,
                [dead, dead_after_attempts, feed, target],
            ).fetchall()
        return dict(rows)


def save_log(database: Path, path: Path) -> bool:
    """Copy ops.delivery_log to a Parquet file (the demo keeps it across a fresh warehouse)."""
    if not Path(database).exists():
        return False
    with connect(database, read_only=True) as connection:
        if not relation_exists(connection, SCHEMA, TABLE):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        connection.execute(f"copy {QUALIFIED} to '{path}' (format parquet)")
    return True


def restore_log(database: Path, path: Path) -> int:
    """Put a saved ops.delivery_log back into a (fresh) warehouse; rows restored."""
    log = DeliveryLog(database)
    log.ensure()
    with connect(database) as connection:
        connection.execute(
            f"insert or ignore into {QUALIFIED} by name select * from read_parquet(?)", [str(path)]
        )
        return connection.execute(f"select count(*) from {QUALIFIED}").fetchone()[0]
