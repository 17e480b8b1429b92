"""Bad rows: a small share of damaged copies inserted next to real rows.

Every bad row is an extra row (a copy of a random real row with one defect), so the clean
rows stay mutually consistent: a clean event always references a clean lead. A duplicate
keeps its source's key; every other kind gets a fresh key (or none, when the key is the
missing field). Counts: `rate` of the table's rows per kind, at least one when the table
has rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from handoff_datagen.arrays import NULL, sample_rows

RATE = 0.002  # 0.2 % of a table's rows per kind of defect
UNPARSEABLE = (-2, -3)
SPLICE_LIMIT = 2_000_000  # bigger tables get their bad rows block by block, without copies
BLOCKS = 64  # timestamp codes rendered as the garbage strings

Change = Callable[[dict[str, np.ndarray], int], np.ndarray] | int | float | str | None


class BadRows:
    def __init__(self, rng: np.random.Generator, data: dict[str, np.ndarray], rate: float = RATE):
        self.rng = rng
        self.data = data
        self.n = len(next(iter(data.values())))
        self.rate = rate
        self._sources: list[np.ndarray] = []
        self._copies: list[dict[str, np.ndarray]] = []
        self._next_key: dict[str, int] = {}

    def count(self) -> int:
        return 0 if self.n == 0 else max(1, round(self.rate * self.n))

    def fresh(self, column: str) -> Callable[[dict[str, np.ndarray], int], np.ndarray]:
        """New keys after the largest key of `column` (for copies that are new records)."""

        def make(_copy: dict[str, np.ndarray], k: int) -> np.ndarray:
            start = self.next_key(column)
            self._next_key[column] = start + k
            return np.arange(start, start + k, dtype=self.data[column].dtype)

        return make

    def next_key(self, column: str) -> int:
        """The key after the largest one so far (real rows and fresh bad rows)."""
        return self._next_key.get(column, int(self.data[column].max(initial=-1)) + 1)

    def unparseable(self, _copy: dict[str, np.ndarray], k: int) -> np.ndarray:
        return np.resize(np.array(UNPARSEABLE, dtype=np.int64), k)

    def add(self, where: np.ndarray | None = None, **changes: Change) -> None:
        """Copies of `count()` random rows (among `where` rows if given), with `changes` applied."""
        if where is None:
            idx = sample_rows(self.rng, self.n, self.count())
        else:
            pool = np.flatnonzero(where)
            idx = pool[sample_rows(self.rng, pool.size, self.count())]
        k = idx.size
        if k == 0:
            return
        copy = {name: values[idx].copy() for name, values in self.data.items()}
        for name, change in changes.items():
            if callable(change):
                copy[name] = np.asarray(change(copy, k), dtype=self.data[name].dtype)
            elif change is None:
                dtype = self.data[name].dtype
                fill = None if dtype.kind == "O" else np.nan if dtype.kind == "f" else NULL
                copy[name] = np.full(k, fill, dtype=dtype)
            else:
                copy[name] = np.full(k, change, dtype=self.data[name].dtype)
        self._sources.append(idx)
        self._copies.append(copy)

    def result(self) -> dict[str, np.ndarray] | list[dict[str, np.ndarray]]:
        """The table with the bad rows spread through it.

        Up to `SPLICE_LIMIT` rows every bad row lands right after the row it was copied from.
        A bigger table is returned as pieces that share the real rows' memory (no copy of
        tens of millions of values): blocks of real rows, each followed by its bad rows.
        """
        if not self._sources:
            return self.data
        sources = np.concatenate(self._sources)
        order = np.argsort(sources, kind="stable")
        sources = sources[order]
        bad = {name: np.concatenate([c[name] for c in self._copies])[order] for name in self.data}
        k = sources.size
        if self.n > SPLICE_LIMIT:
            bounds = np.linspace(0, self.n, BLOCKS + 1).astype(np.int64)
            cuts = np.searchsorted(sources, bounds, side="left")
            pieces: list[dict[str, np.ndarray]] = []
            for b in range(BLOCKS):
                pieces.append({n: v[bounds[b] : bounds[b + 1]] for n, v in self.data.items()})
                if cuts[b + 1] > cuts[b]:
                    pieces.append({n: v[cuts[b] : cuts[b + 1]] for n, v in bad.items()})
            return pieces
        # the j-th bad row (by source) lands after its source and the j bad rows before it
        is_bad = np.zeros(self.n + k, dtype=bool)
        is_bad[sources + np.arange(1, k + 1)] = True
        good_at, bad_at = np.flatnonzero(~is_bad), np.flatnonzero(is_bad)
        out: dict[str, np.ndarray] = {}
        for name, values in self.data.items():
            column = np.empty(self.n + k, dtype=values.dtype)
            column[good_at] = values
            column[bad_at] = bad[name]
            out[name] = column
        return out
