"""Delivery in Dagster: one asset per feed x target (group `delivery`), downstream of the feed
mart, each running `handoff deliver` logic for its pair; the channels as ConfigurableResources.

A resource's values (secrets through `EnvVar`) stand in for the environment variables the
target reads in deliveries.yml, under their default names (HANDOFF_WEBHOOK_URL, ...). A target
that is not configured materialises as "not enabled" and sends nothing. Delivery assets share
the warehouse pool with the dbt build: one writer at a time.
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at runtime.

import os
from collections.abc import Mapping

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    ConfigurableResource,
    EnvVar,
    Failure,
    MaterializeResult,
    asset,
)

from handoff import settings
from handoff.delivery import deliver, load_config
from handoff.delivery.feeds import MARTS_SCHEMA

DELIVERY_GROUP = "delivery"
WAREHOUSE_POOL = "handoff_warehouse"


class ChannelResource(ConfigurableResource):
    """Connection details of one delivery channel; None means "as the environment says"."""

    def environ(self) -> dict[str, str]:
        """The resource's values under the environment variable names deliveries.yml reads."""
        names = self.environment_names()
        values = {names[field]: getattr(self, field) for field in names}
        return {name: str(value) for name, value in values.items() if value is not None}

    @classmethod
    def environment_names(cls) -> Mapping[str, str]:
        raise NotImplementedError


class FileSinkResource(ChannelResource):
    directory: str | None = None

    @classmethod
    def environment_names(cls):
        return {"directory": "HANDOFF_DELIVERY_DIR"}


class WebhookResource(ChannelResource):
    url: str | None = None
    secret: str | None = None

    @classmethod
    def environment_names(cls):
        return {"url": "HANDOFF_WEBHOOK_URL", "secret": "HANDOFF_WEBHOOK_SECRET"}


class SalesforceResource(ChannelResource):
    instance_url: str | None = None
    access_token: str | None = None

    @classmethod
    def environment_names(cls):
        return {
            "instance_url": "HANDOFF_SALESFORCE_INSTANCE_URL",
            "access_token": "HANDOFF_SALESFORCE_ACCESS_TOKEN",
        }


class HubSpotResource(ChannelResource):
    token: str | None = None
    base_url: str | None = None

    @classmethod
    def environment_names(cls):
        return {"token": "HANDOFF_HUBSPOT_TOKEN", "base_url": "HANDOFF_HUBSPOT_BASE_URL"}


class SlackResource(ChannelResource):
    bot_token: str | None = None
    base_url: str | None = None

    @classmethod
    def environment_names(cls):
        return {"bot_token": "HANDOFF_SLACK_BOT_TOKEN", "base_url": "HANDOFF_SLACK_BASE_URL"}


class SmtpResource(ChannelResource):
    host: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None

    @classmethod
    def environment_names(cls):
        return {
            "host": "HANDOFF_SMTP_HOST",
            "port": "HANDOFF_SMTP_PORT",
            "username": "HANDOFF_SMTP_USERNAME",
            "password": "HANDOFF_SMTP_PASSWORD",
        }


class PushResource(ChannelResource):
    base_url: str | None = None
    token: str | None = None

    @classmethod
    def environment_names(cls):
        return {"base_url": "HANDOFF_PUSH_BASE_URL", "token": "HANDOFF_PUSH_TOKEN"}


RESOURCE_TYPES: dict[str, type[ChannelResource]] = {
    "file": FileSinkResource,
    "webhook": WebhookResource,
    "salesforce": SalesforceResource,
    "hubspot": HubSpotResource,
    "slack": SlackResource,
    "email": SmtpResource,
    "push": PushResource,
}


def optional_env(name: str) -> EnvVar | None:
    """EnvVar when the variable is set where the definitions load; unset stays None
    (Dagster refuses to start a run whose EnvVar is unset)."""
    return EnvVar(name) if os.environ.get(name) else None


def channel_resources() -> dict[str, ChannelResource]:
    """One resource per target type, reading its variables (secrets too) through EnvVar."""
    return {
        resource_key(kind): resource_type(
            **{
                field: optional_env(name)
                for field, name in resource_type.environment_names().items()
            }
        )
        for kind, resource_type in RESOURCE_TYPES.items()
    }


def resource_key(kind: str) -> str:
    return f"{kind}_channel"


def delivery_asset_key(feed: str, target: str) -> AssetKey:
    return AssetKey([DELIVERY_GROUP, target, feed])


def _delivery_asset(feed: str, target: str, kind: str) -> AssetsDefinition:
    channel_key = resource_key(kind)

    @asset(
        key=delivery_asset_key(feed, target),
        group_name=DELIVERY_GROUP,
        deps=[AssetKey([MARTS_SCHEMA, feed])],
        required_resource_keys={channel_key},
        pool=WAREHOUSE_POOL,
        kinds={kind},
        description=f"`handoff deliver --feed {feed}` to target `{target}` (deliveries.yml).",
    )
    def _deliver(context: AssetExecutionContext) -> MaterializeResult:
        channel: ChannelResource = getattr(context.resources, channel_key)
        environ = {**os.environ, **channel.environ()}
        config = load_config(environ=environ)
        only = config.model_copy(update={"targets": {target: config.targets[target]}})
        report = deliver(settings.duckdb_path(), only, environ, [feed])
        if not report.targets:
            return MaterializeResult(metadata={"enabled": False})
        [done] = report.targets
        if done.error:
            raise Failure(description=f"delivery to {target} failed: {done.error}")
        context.log.info(
            f"{target}: sent {done.sent}, accepted {done.accepted}, retrying {done.retrying}, "
            f"dead {done.dead}"
        )
        return MaterializeResult(
            metadata={
                "enabled": True,
                "sent": done.sent,
                "accepted": done.accepted,
                "retrying": done.retrying,
                "dead": done.dead,
                "requests": done.requests,
                "slowest_answer_seconds": round(done.slowest_seconds, 3),
                "paused": done.paused or "",
            }
        )

    return _deliver


def delivery_assets() -> list[AssetsDefinition]:
    """An asset for every feed x target in deliveries.yml, enabled or not."""
    config = load_config(environ={})
    return [
        _delivery_asset(feed, name, target.type)
        for name, target in config.targets.items()
        for feed in target.feeds
    ]
