"""Deliver the outbound feeds to local file sinks, each row once.

A sink is a JSON-lines file per feed (`crm_assignment_sync.jsonl`, `sla_alerts.jsonl`). A
delivery appends only the rows whose idempotency key (`sync_key`, `alert_key`) is not in the
sink yet, so delivering again after a rebuild, a retry or a crash sends nothing twice. The
warehouse decides what to send; this module only moves rows. The feeds carry no raw email or
phone, and nothing here logs row contents.
"""

from __future__ import annotations

from pathlib import Path

from handoff.spreadsheet import write_json_lines
from handoff.warehouse import connect, quote_literal

FEEDS = {"crm_assignment_sync": "sync_key", "sla_alerts": "alert_key"}
MARTS_SCHEMA = "marts"


def deliver_to_files(database: Path, sink_dir: Path) -> dict[str, int]:
    """Append every undelivered row of each feed to its sink; rows appended per sink file."""
    sink_dir.mkdir(parents=True, exist_ok=True)
    delivered: dict[str, int] = {}
    with connect(database, read_only=True) as connection:
        for feed, key in FEEDS.items():
            sink = sink_dir / f"{feed}.jsonl"
            pending = sink_dir / f".{feed}.pending.jsonl"
            already_sent = (
                f"select {key} from read_json({quote_literal(str(sink))}, "
                "format = 'newline_delimited')"
                if sink.exists() and sink.stat().st_size
                else f"select null as {key} where false"
            )
            new_rows = f"""
                select * from {MARTS_SCHEMA}.{feed}
                where {key} not in ({already_sent})
                order by {key}
            """
            count = connection.execute(f"select count(*) from ({new_rows})").fetchone()[0]
            if count:
                write_json_lines(connection.execute(new_rows), pending)  # formula-safe cells
                # append in one write: the sink gains all of the batch's keys or none of them
                with sink.open("ab") as target:
                    target.write(pending.read_bytes())
                pending.unlink()
            delivered[sink.name] = count
    return delivered
