"""How numbers read in the report: percentages, dollars, counts, months. Empty reads as a dash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

DASH = "\u2014"  # an empty value
EN_DASH = "\u2013"  # a range: 85 %-95 %
TIMES = "\u00d7"  # a ratio: 3.8x


def _dash_if_none(format_value: Callable[..., str]) -> Callable[..., str]:
    """A formatter that shows a missing value (null in the mart) as a dash."""

    @wraps(format_value)
    def formatted(value: Any, *args: Any) -> str:
        return DASH if value is None else format_value(value, *args)

    return formatted


@_dash_if_none
def pct(value: Any, digits: int = 0) -> str:
    """0.784 -> '78 %'."""
    return f"{float(value) * 100:.{digits}f} %"


@_dash_if_none
def points(value: Any) -> str:
    """A change of rate, 0.04 -> '+4 pts'."""
    return f"{float(value) * 100:+.0f} pts"


@_dash_if_none
def usd(value: Any) -> str:
    """1234567 -> '$1.2M', 45300 -> '$45k', 800 -> '$800'."""
    amount = float(value)
    size = abs(amount)
    if size >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"${amount / 1_000:.0f}k"
    return f"${amount:,.0f}"


@_dash_if_none
def count(value: Any) -> str:
    return f"{int(value):,}"


@_dash_if_none
def ratio(value: Any) -> str:
    """3.84 -> '3.8' and the multiplication sign."""
    return f"{float(value):.1f}{TIMES}"


def span(low: str, high: str) -> str:
    """Two formatted bounds as a range."""
    return f"{low}{EN_DASH}{high}"


@_dash_if_none
def minutes(value: Any) -> str:
    """Minutes as '12 min', '3.5 h', '24 h' or '2.1 days'."""
    amount = float(value)
    if amount < 90:
        return f"{amount:.0f} min"
    if amount < 48 * 60:
        return f"{_trimmed(amount / 60)} h"
    return f"{_trimmed(amount / 1440)} days"


def _trimmed(number: float) -> str:
    """One decimal, without a trailing '.0'."""
    return f"{number:.1f}".removesuffix(".0")


def month_name(value: date | datetime) -> str:
    return f"{value:%B %Y}"


def quarter_name(value: date | datetime) -> str:
    return f"Q{(value.month - 1) // 3 + 1} {value:%Y}"


@_dash_if_none
def words(code: Any) -> str:
    """A mart's code as words: 'below_target' -> 'below target'."""
    return str(code).replace("_", " ")


@_dash_if_none
def model_name(code: Any) -> str:
    """An attribution model's code as its usual name: 'w_shaped' -> 'W-shaped'."""
    text = str(code).replace("_shaped", "-shaped").replace("_", " ")
    return text[:1].upper() + text[1:]
