"""File-sink delivery: every feed row once, whatever the number of deliveries or rebuilds."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from handoff.delivery import FEEDS, deliver_to_files


def sink_rows(sink: Path) -> list[dict]:
    return [json.loads(line) for line in sink.read_text().splitlines()]


def feed_keys(warehouse: Path, feed: str, key: str) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {row[0] for row in connection.execute(f"select {key} from marts.{feed}").fetchall()}


def test_each_row_is_delivered_once(copy_warehouse: Path, tmp_path: Path):
    sinks = tmp_path / "deliveries"

    first = deliver_to_files(copy_warehouse, sinks)
    second = deliver_to_files(copy_warehouse, sinks)

    for feed, key in FEEDS.items():
        expected = feed_keys(copy_warehouse, feed, key)
        assert expected, f"the fixtures should produce {feed} rows"
        rows = sink_rows(sinks / f"{feed}.jsonl")
        assert first[f"{feed}.jsonl"] == len(expected)
        assert second[f"{feed}.jsonl"] == 0
        assert sorted(row[key] for row in rows) == sorted(expected)


def test_only_new_rows_are_appended_after_the_feed_grows(copy_warehouse: Path, tmp_path: Path):
    sinks = tmp_path / "deliveries"
    with duckdb.connect(str(copy_warehouse)) as connection:
        connection.execute("create table main.held_back as select * from marts.sla_alerts limit 2")
        connection.execute(
            "delete from marts.sla_alerts where alert_key in (select alert_key from main.held_back)"
        )
    deliver_to_files(copy_warehouse, sinks)
    with duckdb.connect(str(copy_warehouse)) as connection:
        connection.execute("insert into marts.sla_alerts select * from main.held_back")

    again = deliver_to_files(copy_warehouse, sinks)

    assert again == {"crm_assignment_sync.jsonl": 0, "sla_alerts.jsonl": 2}
    keys = [row["alert_key"] for row in sink_rows(sinks / "sla_alerts.jsonl")]
    assert len(keys) == len(set(keys)) == len(feed_keys(copy_warehouse, "sla_alerts", "alert_key"))


def test_alerts_carry_no_raw_email_or_phone(copy_warehouse: Path, tmp_path: Path):
    sinks = tmp_path / "deliveries"
    deliver_to_files(copy_warehouse, sinks)
    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        emails, phones = zip(
            *connection.execute(
                "select email, phone from staging.stg_crm__leads where email is not null"
            ).fetchall(),
            strict=True,
        )
    delivered = (sinks / "sla_alerts.jsonl").read_text() + (
        sinks / "crm_assignment_sync.jsonl"
    ).read_text()
    assert not [email for email in emails if email in delivered]
    assert not [phone for phone in phones if phone and phone in delivered]
