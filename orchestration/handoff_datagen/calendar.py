"""The reps' working time as UTC intervals, and a business-time clock over it.

For every rep (with a real time zone) and every local date in a range: the interval
[work_start_local, work_end_local) on a working weekday that is not a holiday of the rep's
calendar, converted to UTC with zoneinfo (DST aware). Built with one small loop per rep and
day (independent of the lead volume); lookups for many instants are one `searchsorted`.

The clock maps an instant to "working seconds since the calendar began" for a rep and back,
so "N business minutes after t" is `from_business(rep, to_business(rep, t) + N * 60)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_REP_STRIDE = np.int64(1) << 40  # separates the reps' blocks in one sorted key space


@dataclass(frozen=True)
class WorkPattern:
    time_zone: str
    work_start: str  # HH:MM
    work_end: str  # HH:MM
    work_days: str  # e.g. Mon,Tue,Wed,Thu,Fri
    holidays: frozenset[date]


class WorkCalendar:
    def __init__(self, patterns: list[WorkPattern | None], first_day: date, last_day: date):
        """`patterns[r]` is rep r's pattern; None for a rep without a usable calendar."""
        starts: list[int] = []
        ends: list[int] = []
        rep_of: list[int] = []
        day_count = (last_day - first_day).days + 1
        for rep, pattern in enumerate(patterns):
            if pattern is None:
                continue
            zone = ZoneInfo(pattern.time_zone)
            start_local = time.fromisoformat(pattern.work_start)
            end_local = time.fromisoformat(pattern.work_end)
            days = {_WEEKDAYS.index(d.strip()) for d in pattern.work_days.split(",")}
            for offset in range(day_count):
                day = first_day + timedelta(days=offset)
                if day.weekday() not in days or day in pattern.holidays:
                    continue
                opens = datetime.combine(day, start_local, tzinfo=zone).astimezone(UTC)
                closes = datetime.combine(day, end_local, tzinfo=zone).astimezone(UTC)
                starts.append(int(opens.timestamp()))
                ends.append(int(closes.timestamp()))
                rep_of.append(rep)
        self.start = np.asarray(starts, dtype=np.int64)
        self.end = np.asarray(ends, dtype=np.int64)
        rep_arr = np.asarray(rep_of, dtype=np.int64)
        length = self.end - self.start
        # working seconds before each interval, restarting per rep
        before = np.cumsum(length) - length
        first_of_rep = np.ones(len(rep_arr), dtype=bool)
        first_of_rep[1:] = rep_arr[1:] != rep_arr[:-1]
        rep_base = np.maximum.accumulate(np.where(first_of_rep, before, 0))
        self.before = before - rep_base
        self.length = length
        self._start_key = rep_arr * _REP_STRIDE + self.start
        self._before_key = rep_arr * _REP_STRIDE + self.before

    def _interval(self, rep: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Index of the last interval starting at or before `t` (maybe -1 or another rep's)."""
        key = rep.astype(np.int64) * _REP_STRIDE + t
        return np.searchsorted(self._start_key, key, side="right") - 1

    def to_business(self, rep: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Working seconds of `rep` from the start of the calendar up to instant `t`."""
        i = self._interval(rep, t)
        ok = (i >= 0) & ((self._start_key[np.maximum(i, 0)] >> 40) == rep)
        i = np.maximum(i, 0)
        inside = np.clip(t - self.start[i], 0, self.length[i])
        return np.where(ok, self.before[i] + inside, 0)

    def from_business(
        self, rep: np.ndarray, position: np.ndarray, closing: bool = False
    ) -> np.ndarray:
        """The instant at which `rep` has worked `position` seconds since the calendar began.

        A position that completes a working interval is the next opening (when work resumes),
        or with `closing` that interval's closing time (a deadline, as the warehouse has it).
        """
        key = rep.astype(np.int64) * _REP_STRIDE + position
        side = "left" if closing else "right"
        i = np.maximum(np.searchsorted(self._before_key, key, side=side) - 1, 0)
        return self.start[i] + (position - self.before[i])

    def add_business_seconds(
        self, rep: np.ndarray, t: np.ndarray, seconds: np.ndarray, closing: bool = False
    ):
        """`t` plus `seconds` of `rep`'s working time (counting from the next working start);
        `closing` as in `from_business`."""
        return self.from_business(rep, self.to_business(rep, t) + seconds, closing)

    def is_working(self, rep: np.ndarray, t: np.ndarray) -> np.ndarray:
        i = self._interval(rep, t)
        ok = (i >= 0) & ((self._start_key[np.maximum(i, 0)] >> 40) == rep)
        i = np.maximum(i, 0)
        return ok & (t < self.end[i])
