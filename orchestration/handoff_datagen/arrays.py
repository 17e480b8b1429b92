"""Vectorised helpers: seeded random streams and operations on rows grouped by an owner.

Grouped arrays are "ragged": `counts[i]` items belong to owner i and they are stored
contiguously, owner by owner (what `np.repeat(np.arange(n), counts)` produces).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

NULL = -1  # null marker of every integer column (ids, codes, epoch seconds, flags)


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per concern (changing one leaves the others' data alone)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def normalised(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return w / w.sum()


def categorical(rng: np.random.Generator, size: int, weights: Sequence[float] | np.ndarray):
    """`size` codes drawn with the given (unnormalised) weights, as int16."""
    return rng.choice(len(weights), size=size, p=normalised(weights)).astype(np.int16)


def lognormal_median(rng: np.random.Generator, median, sigma: float, size: int) -> np.ndarray:
    """Log-normal draws parameterised by their median (heavy right tail)."""
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


def owners(counts: np.ndarray) -> np.ndarray:
    """Owner index of each item of a ragged array."""
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


def starts(counts: np.ndarray) -> np.ndarray:
    """Offset of each owner's first item."""
    out = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def ranks(counts: np.ndarray) -> np.ndarray:
    """Position of each item within its owner (0, 1, 2, ...)."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(starts(counts), counts)


def grouped_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sum of `values` that restarts at every owner."""
    total = np.cumsum(values)
    first = starts(counts)
    nonempty = counts > 0
    base = np.zeros(len(counts), dtype=total.dtype)
    base[nonempty] = total[first[nonempty]] - values[first[nonempty]]
    return total - np.repeat(base, counts)


def first_where(mask: np.ndarray, owner: np.ndarray, n_owners: int, values: np.ndarray):
    """Per owner, `values` at its first item where `mask` holds (NULL when none).

    Items must be stored owner by owner; `values` is int64.
    """
    out = np.full(n_owners, NULL, dtype=np.int64)
    hits = np.flatnonzero(mask)
    if hits.size:
        hit_owner = owner[hits]
        first = np.ones(hits.size, dtype=bool)
        first[1:] = hit_owner[1:] != hit_owner[:-1]
        out[hit_owner[first]] = values[hits[first]]
    return out


def min_by_owner(owner: np.ndarray, values: np.ndarray, n_owners: int) -> np.ndarray:
    """Per owner, the smallest value (NULL when the owner has no item); any item order."""
    out = np.full(n_owners, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, owner, values)
    out[out == np.iinfo(np.int64).max] = NULL
    return out


def sample_rows(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """`k` distinct row indices out of `n`, sorted (fewer when n < k)."""
    k = min(k, n)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(n, size=k, replace=False)).astype(np.int64)


def pick_from_ranges(
    rng: np.random.Generator, key: np.ndarray, first: np.ndarray, count: np.ndarray, pool
) -> np.ndarray:
    """For each item, a uniform pick among `pool[first[key] : first[key] + count[key]]`.

    Items whose range is empty get NULL. Fully vectorised (no loop over keys).
    """
    n = len(key)
    out = np.full(n, NULL, dtype=np.int64)
    c = count[key]
    has = c > 0
    offset = (rng.random(n) * c).astype(np.int64)
    out[has] = np.asarray(pool)[first[key[has]] + offset[has]]
    return out
