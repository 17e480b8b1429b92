"""The build's "now" (dbt var `as_of`): one parser for the CLI, Dagster run config and schedules.

dbt always receives the canonical form, UTC 'YYYY-MM-DD HH:MM:SS'. The `as_of()` macro
(macros/as_of.sql) reads a date, 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD HH:MM:SS' (space or `T`) as
UTC; this parser accepts those, read the same way (it refuses hour 24, which DuckDB would read
as the next midnight), plus two things only Python resolves: an explicit UTC offset or `Z`
(converted to UTC) and fractions of a second (dropped).
tests/python/test_as_of.py holds the one table of accepted and rejected inputs and checks it
against the CLI, the Dagster config and the macro's pattern.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from handoff.warehouse import HandoffError

AS_OF_FORMAT = "%Y-%m-%d %H:%M:%S"
AS_OF_HELP = "UTC 'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DD', or an ISO timestamp with a UTC offset)"

_AS_OF = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)


class AsOfError(HandoffError, ValueError):
    """Not a timestamp dbt's `as_of` can take (a ValueError, so Dagster config reports it)."""


def parse_as_of(value: str | date) -> str:
    """`value` as dbt's `as_of`: UTC 'YYYY-MM-DD HH:MM:SS'.

    Takes text or a date/datetime (YAML reads `{as_of: 2026-03-20}` as a date); an aware
    datetime is converted to UTC, a naive one is taken to be UTC already.
    """
    if isinstance(value, datetime):
        return format_as_of(value)
    if isinstance(value, date):
        return format_as_of(datetime.combine(value, datetime.min.time()))
    match = _AS_OF.fullmatch(str(value).strip())
    if match is None:
        raise AsOfError(f"as_of {value!r} is not a timestamp: use {AS_OF_HELP}")
    parts = match.groupdict()
    try:
        moment = datetime.fromisoformat(parts["date"]).replace(
            hour=int(parts["hour"] or 0),
            minute=int(parts["minute"] or 0),
            second=int(parts["second"] or 0),
            tzinfo=_offset(parts["offset"]),
        )
    except ValueError as error:  # month 13, February 30th, hour 24, offset +25:00
        raise AsOfError(
            f"as_of {value!r} is not a timestamp ({error}): use {AS_OF_HELP}"
        ) from error
    return format_as_of(moment)


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"UTC offset {text} is out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def format_as_of(moment: datetime) -> str:
    """An instant as an as_of string in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(AS_OF_FORMAT)


def now_as_of() -> str:
    """This moment, to the second, as an as_of string."""
    return format_as_of(datetime.now(UTC))
