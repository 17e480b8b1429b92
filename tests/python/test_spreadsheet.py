"""Formula-safe outputs: text a spreadsheet would execute is written inert (OWASP CSV injection)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES_AS_OF, FIXTURES_RAW
from handoff import cli
from handoff.build import run_dbt
from handoff.load import load
from handoff.spreadsheet import inert_row, inert_text, write_csv, write_json_lines

CANARY = '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    "value",
    [CANARY, "+1 555 0100", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=", "-"],
)
def test_text_starting_like_a_formula_gets_a_quote_prefix(value: str):
    assert inert_text(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Acme Corp", "", " =not first", "a=b", "'=already quoted", None, True, -5, -2.5,
     Decimal("-1.50"), datetime(2026, 3, 19, 10)],
)  # fmt: skip
def test_other_values_are_left_as_they_are(value):
    assert inert_text(value) is value


def test_inert_row_keeps_the_keys_and_numbers():
    assert inert_row({"company_name": CANARY, "amount": -40.0, "lead_id": "L1"}) == {
        "company_name": "'" + CANARY,
        "amount": -40.0,
        "lead_id": "L1",
    }


ROWS_SQL = """
    select * from (values
        ('L1', '=HYPERLINK("http://x")', -40.5, timestamp '2026-03-20 12:00:00', true),
        ('L2', 'Acme, "quoted"', 12.0, timestamp '2026-03-20 12:00:00.25', null)
    ) as t(lead_id, company_name, amount_usd, due_at, is_open)
    order by lead_id
"""


def test_csv_export_is_inert_and_keeps_types_as_duckdb_writes_them(tmp_path: Path):
    target = tmp_path / "out.csv"
    with duckdb.connect() as connection:
        assert write_csv(connection.execute(ROWS_SQL), target) == 2

    with target.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["lead_id", "company_name", "amount_usd", "due_at", "is_open"],
        ["L1", "'" + CANARY, "-40.5", "2026-03-20 12:00:00", "true"],
        ["L2", 'Acme, "quoted"', "12.0", "2026-03-20 12:00:00.25", ""],
    ]


def test_json_lines_match_duckdbs_own_export_except_for_the_inert_prefix(tmp_path: Path):
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "duckdb.jsonl"
    with duckdb.connect() as connection:
        assert write_json_lines(connection.execute(ROWS_SQL), ours) == 2
        connection.execute(f"copy ({ROWS_SQL}) to '{theirs}' (format json)")

    expected = theirs.read_text().replace('"=HYPERLINK', "\"'=HYPERLINK")
    assert ours.read_text() == expected
    first = json.loads(ours.read_text().splitlines()[0])
    assert first["company_name"] == "'" + CANARY and first["amount_usd"] == -40.5


def test_dates_and_decimals_are_written_as_text_and_numbers(tmp_path: Path):
    target = tmp_path / "out.jsonl"
    with duckdb.connect() as connection:
        cursor = connection.execute("select date '2026-03-01' as d, 12.50::decimal(10, 2) as x")
        write_json_lines(cursor, target)
    assert json.loads(target.read_text()) == {"d": str(date(2026, 3, 1)), "x": 12.5}


@pytest.mark.dbt
def test_a_formula_in_company_name_reaches_the_alert_sink_inert(
    copy_warehouse: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        lead_id = connection.execute("select min(lead_id) from marts.sla_alerts").fetchone()[0]
    raw = tmp_path / "raw"
    raw.mkdir()
    with (FIXTURES_RAW / "leads.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["lead_id"] == lead_id:
            row["company_name"] = CANARY
    with (raw / "leads.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    load(raw, copy_warehouse)
    command = [
        "run", "--quiet", "--select", "base_crm__leads", "stg_crm__leads", "sla_alerts",
        "--vars", f"{{as_of: '{FIXTURES_AS_OF}'}}",
    ]  # fmt: skip
    assert run_dbt(command, copy_warehouse) == 0
    monkeypatch.setenv("HANDOFF_DELIVERY_DIR", str(tmp_path / "sinks"))
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    delivered = runner.invoke(cli.app, ["deliver", "--feed", "sla_alerts"])
    assert delivered.exit_code == 0, delivered.output

    with duckdb.connect(str(copy_warehouse), read_only=True) as connection:
        in_mart = connection.execute(
            "select distinct company_name from marts.sla_alerts where lead_id = ?", [lead_id]
        ).fetchall()
    assert in_mart == [(CANARY,)]  # the warehouse keeps the value as the CRM has it
    sink = [json.loads(line) for line in (tmp_path / "sinks" / "sla_alerts.jsonl").open()]
    in_sink = {row["company_name"] for row in sink if row["lead_id"] == lead_id}
    assert in_sink == {"'" + CANARY}
