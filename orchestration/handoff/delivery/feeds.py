"""The outbound feeds (contract section 4) and how one of their rows becomes JSON.

A feed is a mart in schema `marts` with an idempotency key column; the warehouse decides what
to send, delivery only moves rows. Rows carry no raw email or phone (dbt tests check it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

MARTS_SCHEMA = "marts"
FEEDS: dict[str, str] = {"crm_assignment_sync": "sync_key", "sla_alerts": "alert_key"}

Row = dict[str, Any]


def key_column(feed: str) -> str:
    try:
        return FEEDS[feed]
    except KeyError:
        raise ValueError(f"unknown feed {feed!r}; feeds are {', '.join(FEEDS)}") from None


def row_key(feed: str, row: Mapping[str, Any]) -> str:
    return str(row[key_column(feed)])


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # the warehouse stores UTC without a zone (contract): say so on the wire
        text = value.isoformat()
        return text if value.tzinfo else text + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(payload: Any) -> str:
    """Compact, deterministic JSON (the bytes a webhook signature is computed over)."""
    return json.dumps(payload, default=_json_value, separators=(",", ":"), ensure_ascii=False)


def jsonable(row: Mapping[str, Any]) -> Row:
    """The row with timestamps as ISO 8601 UTC strings, as it is sent."""
    return json.loads(dumps(row))


def idempotency_key(feed: str, keys: Iterable[str]) -> str:
    """Stable for the same set of rows, whatever their order: sha256 of the feed and its keys."""
    digest = hashlib.sha256(feed.encode())
    for key in sorted(keys):
        digest.update(b"\n" + key.encode())
    return digest.hexdigest()


def keys_of(feed: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return [row_key(feed, row) for row in rows]
