"""The way into the synthetic data generator, which lives in its own package (`handoff_datagen`)
beside this runtime package, as jaffle-shop keeps `jafgen` apart: production installs need not
ship it, and nothing here imports it until `handoff generate` or `handoff demo` asks for it."""

from __future__ import annotations

from collections.abc import Callable

from handoff.warehouse import HandoffError


def generator() -> Callable[..., dict[str, int]]:
    """`handoff_datagen.generate`, or a clear error when the package is not installed."""
    try:
        from handoff_datagen import generate
    except ImportError as error:
        raise HandoffError(
            f"the data generator is not available ({error}): the package handoff_datagen "
            "installs with the project (`make`, or `pip install -e .` in the repository)"
        ) from error
    return generate
