"""`handoff deliver` end to end on the built fixture warehouse (file target, the CLI), the
delivery configuration, and the canaries: no lead email or phone and no secret in any payload,
output line or ops.delivery_log row.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from delivery_fakes import FakeServer, Reply, log_rows
from handoff import cli
from handoff.delivery.config import load_config, parse_config
from handoff.delivery.feeds import FEEDS
from handoff.warehouse import HandoffError

SECRET = "canary-secret-9b2c"


def sink_rows(sink: Path) -> list[dict]:
    return [json.loads(line) for line in sink.read_text().splitlines()]


def feed_keys(warehouse: Path, feed: str, key: str) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {row[0] for row in connection.execute(f"select {key} from marts.{feed}").fetchall()}


def test_deliver_cli_files_each_row_once_and_keeps_the_log(
    copy_warehouse: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    sinks = tmp_path / "deliveries"
    monkeypatch.setenv("HANDOFF_DELIVERY_DIR", str(sinks))
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)

    dry = runner.invoke(cli.app, ["deliver", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and not sinks.exists()
    first = runner.invoke(cli.app, ["deliver"])
    second = runner.invoke(cli.app, ["deliver"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output

    total = 0
    for feed, key in FEEDS.items():
        expected = feed_keys(copy_warehouse, feed, key)
        assert expected, f"the fixtures should produce {feed} rows"
        rows = sink_rows(sinks / f"{feed}.jsonl")
        assert sorted(row[key] for row in rows) == sorted(expected)
        total += len(expected)
    log = log_rows(copy_warehouse)
    assert len(log) == total and {row["status"] for row in log} == {"delivered"}
    assert f"│ {total}" in first.output.replace(",", "") or str(total) in first.output
    assert "│    0 │" in second.output  # the second run sent nothing


def test_only_new_rows_go_out_after_the_feed_grows(
    copy_warehouse: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    sinks = tmp_path / "deliveries"
    monkeypatch.setenv("HANDOFF_DELIVERY_DIR", str(sinks))
    with duckdb.connect(str(copy_warehouse)) as connection:
        connection.execute("create table main.held_back as select * from marts.sla_alerts limit 2")
        connection.execute(
            "delete from marts.sla_alerts where alert_key in (select alert_key from main.held_back)"
        )
    runner.invoke(cli.app, ["deliver", "--feed", "sla_alerts"])
    with duckdb.connect(str(copy_warehouse)) as connection:
        connection.execute("insert into marts.sla_alerts select * from main.held_back")

    again = runner.invoke(cli.app, ["deliver", "--feed", "sla_alerts"])

    assert again.exit_code == 0, again.output
    assert not (sinks / "crm_assignment_sync.jsonl").exists()
    keys = [row["alert_key"] for row in sink_rows(sinks / "sla_alerts.jsonl")]
    assert len(keys) == len(set(keys)) == len(feed_keys(copy_warehouse, "sla_alerts", "alert_key"))


def test_no_lead_email_phone_or_secret_in_payloads_output_or_log(
    copy_warehouse: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    """Canaries: every lead email and phone of the fixtures, and a secret in the environment."""
    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        contacts = [
            value
            for row in connection.execute(
                "select email, phone from staging.stg_crm__leads"
            ).fetchall()
            for value in row
            if value and len(value) > 5
        ]
    assert any("@" in value for value in contacts)
    monkeypatch.setenv("HANDOFF_DELIVERY_DIR", str(tmp_path / "deliveries"))
    monkeypatch.setenv("HANDOFF_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("HANDOFF_SLACK_BOT_TOKEN", SECRET)
    with FakeServer(lambda request: Reply(body={"ok": True, "ts": "1.2"})) as server:
        monkeypatch.setenv("HANDOFF_WEBHOOK_URL", server.url + "/hook")
        monkeypatch.setenv("HANDOFF_SLACK_BASE_URL", server.url + "/api/")
        monkeypatch.setenv("HANDOFF_SLACK_SECONDS_PER_MESSAGE", "0")
        monkeypatch.setenv("HANDOFF_PUSH_BASE_URL", server.url + "/push")
        result = runner.invoke(cli.app, ["deliver"])
    assert result.exit_code == 0, result.output
    kinds = {r.path.split("/")[1] for r in server.requests}
    assert {"hook", "api", "push"} <= kinds
    payloads = [r.body.decode() for r in server.requests]
    files = [p.read_text() for p in (tmp_path / "deliveries").glob("*.jsonl")]
    log = [json.dumps(row, default=str) for row in log_rows(copy_warehouse)]
    for text in (*payloads, *files, *log, result.output):
        assert SECRET not in text
        assert not [value for value in contacts if value in text]


def test_default_configuration_is_safe_and_switched_by_the_environment(tmp_path: Path):
    quiet = load_config(environ={})
    assert list(quiet.enabled_targets({})) == ["file"]
    environ = {"HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/x", "HANDOFF_SMTP_HOST": "127.0.0.1"}
    loud = load_config(environ=environ)
    assert set(loud.enabled_targets(environ)) == {"file", "webhook", "email"}
    # secrets are only named in the file, never held by the configuration
    assert "HANDOFF_WEBHOOK_SECRET" in loud.targets["webhook"].model_dump_json()
    with pytest.raises(HandoffError, match="target 'x' has type 'fax'"):
        parse_config({"targets": {"x": {"type": "fax", "feeds": ["sla_alerts"]}}}, {})
    with pytest.raises(HandoffError, match="sla_alerts feed only"):
        parse_config({"targets": {"s": {"type": "slack", "feeds": ["crm_assignment_sync"]}}}, {})
    with pytest.raises(HandoffError, match="unknown feed"):
        parse_config({"targets": {"f": {"type": "file", "feeds": ["leads"]}}}, {})
