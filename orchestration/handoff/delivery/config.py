"""deliveries.yml: the targets, which feeds each takes, retry policy. Secrets stay in the env.

`${NAME}` and `${NAME:-default}` in the file are read from the environment when it is loaded
(URLs, folders, switches); secrets are only ever named (`token_env: NAME`) and read when the
target is built, so no secret is held by the configuration or printed with it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from handoff import settings
from handoff.delivery.targets import SETTINGS_TYPES
from handoff.delivery.targets.base import TargetSettings
from handoff.warehouse import HandoffError

DEFAULT_CONFIG = settings.PROJECT_DIR / "deliveries.yml"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def config_path() -> Path:
    """HANDOFF_DELIVERIES_FILE, or deliveries.yml at the repository root."""
    configured = os.environ.get("HANDOFF_DELIVERIES_FILE")
    return Path(configured) if configured else DEFAULT_CONFIG


class RetryPolicy(BaseModel):
    """How hard one run tries a batch, and when a row is given up on (contract section 5)."""

    model_config = ConfigDict(extra="forbid")

    attempts_per_run: int = Field(default=15, ge=1)
    initial_backoff_seconds: float = Field(default=0.5, ge=0)
    max_backoff_seconds: float = Field(default=10.0, ge=0)
    jitter_seconds: float = Field(default=0.5, ge=0)
    max_retry_after_seconds: float = Field(default=120.0, ge=0)
    batch_timeout_seconds: float = Field(default=300.0, gt=0)
    dead_after_attempts: int = Field(default=30, ge=1)
    failed_batches_before_pause: int = Field(default=3, ge=1)


class DeliveryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    retry: RetryPolicy = RetryPolicy()
    targets: dict[str, TargetSettings]

    def enabled_targets(self, environ: Mapping[str, str]) -> dict[str, TargetSettings]:
        return {name: t for name, t in self.targets.items() if t.is_enabled(environ)}


def expand(text: str, environ: Mapping[str, str]) -> str:
    return _VARIABLE.sub(lambda match: environ.get(match[1]) or (match[2] or ""), text)


def _expand_all(value: Any, environ: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return expand(value, environ)
    if isinstance(value, list):
        return [_expand_all(item, environ) for item in value]
    if isinstance(value, dict):
        return {key: _expand_all(item, environ) for key, item in value.items()}
    return value


def parse_config(document: Mapping[str, Any], environ: Mapping[str, str]) -> DeliveryConfig:
    document = _expand_all(dict(document), environ)
    targets: dict[str, TargetSettings] = {}
    for name, entry in (document.get("targets") or {}).items():
        kind = (entry or {}).get("type")
        model = SETTINGS_TYPES.get(kind)
        if model is None:
            raise HandoffError(
                f"deliveries.yml: target {name!r} has type {kind!r}; "
                f"known types: {', '.join(SETTINGS_TYPES)}"
            )
        try:
            targets[name] = model.model_validate(entry)
        except ValidationError as error:
            raise HandoffError(f"deliveries.yml: target {name!r}: {error}") from None
    try:
        return DeliveryConfig(retry=document.get("retry") or {}, targets=targets)
    except ValidationError as error:
        raise HandoffError(f"deliveries.yml: {error}") from None


def load_config(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> DeliveryConfig:
    path = path or config_path()
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except OSError as error:
        raise HandoffError(f"cannot read the delivery configuration {path}: {error}") from None
    except yaml.YAMLError as error:
        raise HandoffError(f"{path} is not valid YAML: {error}") from None
    return parse_config(document, os.environ if environ is None else environ)
