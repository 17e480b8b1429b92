"""Delivery in Dagster: an asset per feed x target downstream of the feed, channel resources
reading secrets through EnvVar, and a materialisation that delivers (or reports "not enabled")."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, EnvVar, materialize

from delivery_fakes import FakeServer, feed_warehouse, log_rows
from handoff.defs.delivery import (
    FileSinkResource,
    PushResource,
    WebhookResource,
    channel_resources,
    delivery_asset_key,
    delivery_assets,
)


def test_an_asset_per_feed_and_target_downstream_of_the_feed():
    assets = {a.key: a for a in delivery_assets()}
    assert delivery_asset_key("crm_assignment_sync", "salesforce") in assets
    assert delivery_asset_key("sla_alerts", "slack") in assets
    assert delivery_asset_key("crm_assignment_sync", "slack") not in assets
    for key, definition in assets.items():
        spec = next(iter(definition.specs))
        assert spec.group_name == "delivery"
        assert {dep.asset_key for dep in spec.deps} == {AssetKey(["marts", key.path[-1]])}


def test_channel_resources_read_set_variables_through_envvar(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    monkeypatch.delenv("HANDOFF_WEBHOOK_SECRET", raising=False)
    webhook = channel_resources()["webhook_channel"]
    assert webhook.url == EnvVar("HANDOFF_WEBHOOK_URL") and webhook.secret is None
    assert WebhookResource(url="u", secret="s").environ() == {
        "HANDOFF_WEBHOOK_URL": "u",
        "HANDOFF_WEBHOOK_SECRET": "s",
    }


def test_materialising_delivers_and_an_unconfigured_target_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    warehouse = feed_warehouse(
        tmp_path / "w.duckdb", crm_rows=120, alert_rows=4, channels=("push",)
    )
    monkeypatch.setenv("HANDOFF_DUCKDB_PATH", str(warehouse))
    monkeypatch.delenv("HANDOFF_PUSH_BASE_URL", raising=False)
    wanted = {
        delivery_asset_key("crm_assignment_sync", "webhook"),
        delivery_asset_key("crm_assignment_sync", "file"),
        delivery_asset_key("sla_alerts", "push"),
    }
    assets = [a for a in delivery_assets() if a.key in wanted]
    with FakeServer() as server:
        result = materialize(
            assets,
            resources={
                "webhook_channel": WebhookResource(url=server.url, secret="s3cret"),
                "file_channel": FileSinkResource(directory=str(tmp_path / "files")),
                "push_channel": PushResource(),
            },
            instance=DagsterInstance.ephemeral(),
        )
    assert result.success
    metadata = {
        event.asset_key: event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    webhook = metadata[delivery_asset_key("crm_assignment_sync", "webhook")]
    assert webhook["accepted"].value == 120 and webhook["dead"].value == 0
    assert metadata[delivery_asset_key("sla_alerts", "push")]["enabled"].value is False
    assert len(server.requests) == 2
    assert (tmp_path / "files" / "crm_assignment_sync.jsonl").exists()
    assert {row["target"] for row in log_rows(warehouse)} == {"webhook", "file"}
