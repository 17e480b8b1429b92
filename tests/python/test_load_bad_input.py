"""The bad-input matrix: each broken extract with its outcome asserted.

- loaded: the values arrive exactly (one folder holds every such case; it is loaded and staged
  once, with the staging models and the quarantine listing run by dbt);
- quarantined: loaded, then kept out of the logic by staging with the reason;
- refused: the load raises with a message naming the file, line and column or the table and
  its counts, and the warehouse (raw tables and ledger) is exactly as before.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import Isolated, write_csv
from handoff.build import run_dbt
from handoff.cli import app
from handoff.load import LoadError, load

HEADER = ["lead_id", "created_at", "company_name"]
BASE_ROWS = [[f"L{i:02}", f"2026-03-{i + 1:02} 09:00:00", f"Company {i}"] for i in range(10)]
SQL_TEXT = "'); drop table raw.leads; --"
QUOTED = 'Acme "Quoted", Inc.\nSecond line'
ONE_MB = "x" * 1_000_000
FORMULA = '=HYPERLINK("http://x")'
TYPED_STARTS = datetime(2026, 3, 19, 10, tzinfo=timezone(timedelta(hours=-4)))  # 14:00 UTC


def write_bytes(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def csv_bytes(rows: list[list[str]], newline: str = "\n") -> bytes:
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    return (newline.join(lines) + newline).encode()


# ---------------------------------------------------------------------------------------------
# loaded and quarantined: one messy folder, loaded and staged once


@pytest.fixture(scope="module")
def messy_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BOM + CRLF leads file with every odd value, events, typed parquet; loaded and staged."""
    root = tmp_path_factory.mktemp("messy")
    folder = root / "raw"
    rows = [
        ["M01", "2026-03-01 09:00:00", '"' + QUOTED.replace('"', '""') + '"'],
        ["M02", "2026-03-01 09:00:00", '"' + SQL_TEXT + '"'],
        ["M03", "2026-03-01 09:00:00", ONE_MB],
        ["M04", "2026-03-19T10:00:00+02:00", '"' + FORMULA.replace('"', '""') + '"'],
        ["M05", "not a time", "Garbage Time Inc"],
        ["M06", "2026-03-19 10:00:00 PST", "Named Zone Inc"],
        ["M07", "", "No Created At Inc"],
    ]
    write_bytes(folder / "leads.csv", b"\xef\xbb\xbf" + csv_bytes(rows, newline="\r\n"))
    write_csv(
        folder / "marketing_events.csv",
        ["event_id", "lead_id", "occurred_at", "event_type"],
        [
            ["E1", "M01", "2026-03-19 14:00:00-05:00", "demo_request"],
            ["E2", "ZZZ", "2026-03-19", "x"],
        ],
    )
    # typed columns, as a parquet extract or a connector delivers them: an instant with its
    # zone (timestamptz) and a naive timestamp (UTC)
    pq.write_table(
        pa.table(
            {
                "rep_id": ["R1"],
                "starts_at": pa.array([TYPED_STARTS], pa.timestamp("us", tz="America/New_York")),
                "ends_at": pa.array([datetime(2026, 3, 20, 18)], pa.timestamp("us")),
            }
        ),
        folder / "rep_time_off.parquet",
    )
    warehouse = root / "messy.duckdb"
    load(folder, warehouse)
    patch = pytest.MonkeyPatch()
    patch.setenv("DBT_TARGET_PATH", str(root / "target"))
    patch.setenv("DBT_LOG_PATH", str(root / "logs"))
    try:
        command = [
            "run", "--quiet",
            "--select", "path:models/staging", "quarantined_records",
        ]  # fmt: skip
        # DuckDB writes a timestamptz as text in the session's zone: here +05:30
        assert run_dbt(command, warehouse, {"TZ": "Asia/Kolkata"}) == 0
    finally:
        patch.undo()
    return warehouse


def one(database: Path, sql: str, *parameters) -> tuple:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(sql, list(parameters)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def raw_lead(database: Path, lead_id: str) -> tuple:
    return one(database, "select * exclude (_loaded_at) from raw.leads where lead_id = ?", lead_id)


@pytest.mark.dbt
@pytest.mark.parametrize(
    ("lead_id", "column", "expected"),
    [
        pytest.param("M01", "lead_id", "M01", id="bom_first_column_clean"),
        pytest.param("M01", "company_name", QUOTED, id="quotes_and_newline_in_a_field"),
        pytest.param("M02", "company_name", SQL_TEXT, id="sql_looking_text_is_just_text"),
        pytest.param("M03", "company_name", ONE_MB, id="one_mb_string"),
        pytest.param("M04", "company_name", FORMULA, id="formula_kept_as_the_crm_has_it"),
        pytest.param("M05", "company_name", "Garbage Time Inc", id="crlf_no_stray_cr"),
        pytest.param("M07", "phone", None, id="missing_optional_column_is_null"),
    ],
)
def test_loaded_values_arrive_exactly(messy_warehouse: Path, lead_id, column, expected):
    value = one(messy_warehouse, f'select "{column}" from raw.leads where lead_id = ?', lead_id)[0]
    assert value == expected
    assert one(messy_warehouse, "select count(*) from raw.leads")[0] == 7  # not dropped


@pytest.mark.dbt
@pytest.mark.parametrize(
    ("table", "key", "reason", "staged_at"),
    [
        pytest.param("leads", "M04", None, datetime(2026, 3, 19, 8), id="offset_converted"),
        pytest.param("leads", "M01", None, datetime(2026, 3, 1, 9), id="odd_text_row_is_clean"),
        pytest.param(
            "leads", "M05", "unparseable_timestamp:created_at", None, id="garbage_timestamp"
        ),
        pytest.param(
            "leads", "M06", "unparseable_timestamp:created_at", None, id="zone_abbreviation"
        ),
        pytest.param(
            "leads", "M07", "missing_required_field:created_at", None, id="missing_required"
        ),
        pytest.param(
            "marketing_events", "E1", None, datetime(2026, 3, 19, 19), id="event_offset_converted"
        ),
        pytest.param(
            "marketing_events",
            "E2",
            "orphan_foreign_key:lead_id",
            datetime(2026, 3, 19),
            id="unknown_lead",
        ),
    ],
)
def test_staging_quarantines_with_the_reason(messy_warehouse: Path, table, key, reason, staged_at):
    model, stamp = {
        "leads": ("base_crm__leads", "created_at"),
        "marketing_events": ("base_marketing__events", "occurred_at"),
    }[table]
    assert one(
        messy_warehouse,
        f"select quarantine_reason, {stamp} from staging.{model} where record_key = ?",
        key,
    ) == (reason, staged_at)
    listed = one(
        messy_warehouse,
        "select count(*) from marts.quarantined_records where source_table = ? and record_key = ?",
        table,
        key,
    )[0]
    assert listed == (0 if reason is None else 1)


@pytest.mark.dbt
def test_typed_timestamps_land_on_their_instant_in_a_non_utc_session(messy_warehouse: Path):
    # the base model: rep R1 is not loaded here, so the clean stg_ model leaves the row out
    time_off = "select starts_at, ends_at from staging.base_crm__rep_time_off"
    assert one(messy_warehouse, time_off) == (
        datetime(2026, 3, 19, 14),
        datetime(2026, 3, 20, 18),
    )


# ---------------------------------------------------------------------------------------------
# refused: each case tries to load into a copy of one loaded warehouse


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base")
    write_csv(root / "raw" / "leads.csv", HEADER, BASE_ROWS)
    warehouse = root / "base.duckdb"
    load(root / "raw", warehouse)
    return warehouse


def snapshot(database: Path) -> tuple[list[tuple], list[tuple]]:
    """Everything a refused load must leave as it was: the raw rows and the ledger."""
    with duckdb.connect(str(database), read_only=True) as connection:
        leads = connection.execute("select * from raw.leads order by lead_id").fetchall()
        loads = connection.execute("select * from ops.loads order by loaded_at").fetchall()
    return leads, loads


@dataclass(frozen=True)
class Refusal:
    write: Callable[[Path], None]
    expected: tuple[str, ...]


def latin1_content() -> bytes:
    return ",".join(HEADER).encode() + b"\nN1,2026-03-01,Acme\nN2,2026-03-02,Caf\xe9 Noir\n"


REFUSALS = {
    "latin1": Refusal(
        lambda folder: write_bytes(folder / "leads.csv", latin1_content()),
        ("leads.csv: line 3, column 'company_name': not UTF-8", "not utf-8 encoded"),
    ),
    "latin1_header": Refusal(
        lambda folder: write_bytes(folder / "leads.csv", b"lead_id,created_at,soci\xe9t\xe9\n"),
        ("leads.csv: line 1 (the header): not UTF-8",),
    ),
    "too_many_fields": Refusal(
        lambda folder: write_bytes(
            folder / "leads.csv",
            csv_bytes([["N1", "2026-03-01", "a"], ["N2", "2026-03-02", "b", "extra"]]),
        ),
        ("leads.csv: line 3: wrong number of fields", "Expected Number of Columns: 3 Found: 4"),
    ),
    "too_few_fields": Refusal(
        lambda folder: write_bytes(folder / "leads.csv", csv_bytes([["N1", "2026-03-01"]])),
        ("leads.csv: line 2, column 'company_name': wrong number of fields", "Found: 2"),
    ),
    "unterminated_quote": Refusal(
        lambda folder: write_bytes(
            folder / "leads.csv",
            csv_bytes([["N1", "2026-03-01", '"multi\nline"'], ["N2", "2026-03-02", '"open']]),
        ),
        ("leads.csv: line 4, column 'company_name': bad quoting", "unterminated quote"),
    ),
    "line_over_2_mb": Refusal(
        lambda folder: write_bytes(
            folder / "leads.csv", csv_bytes([["N1", "2026-03-01", "y" * 2_100_000]])
        ),
        ("leads.csv: line 2: line too long", "Maximum line size"),
    ),
    "unknown_table": Refusal(
        lambda folder: write_csv(folder / "lead.csv", HEADER, BASE_ROWS),
        ("lead.csv: 'lead' is not a contract table", "valid names: leads"),
    ),
    "extra_column": Refusal(
        lambda folder: write_csv(
            folder / "leads.csv", [*HEADER, "favourite_colour"], [["N1", "2026-03-01", "a", "b"]]
        ),
        ("leads.csv: column 'favourite_colour' is not in the contract of leads",),
    ),
    "missing_required_column": Refusal(
        lambda folder: write_csv(folder / "leads.csv", ["lead_id", "company_name"], BASE_ROWS),
        ("leads.csv: required column 'created_at' is missing",),
    ),
    "semicolon_separated": Refusal(
        lambda folder: write_bytes(folder / "leads.csv", b"lead_id;created_at\nN1;2026-03-01\n"),
        ("the loader reads comma-separated files",),
    ),
    "empty_file": Refusal(
        lambda folder: write_bytes(folder / "leads.csv", b""),
        ("leads.csv: the file is empty",),
    ),
    "header_only": Refusal(
        lambda folder: write_csv(folder / "leads.csv", HEADER),
        ("raw.leads: leads.csv has 0 rows, the table has 10 (an empty file)", "--force"),
    ),
    "shrunken": Refusal(
        lambda folder: write_csv(folder / "leads.csv", HEADER, BASE_ROWS[:4]),
        ("raw.leads: leads.csv has 4 rows, the table has 10 (fewer than half its rows)",),
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_with_the_reason_and_the_warehouse_unchanged(
    case: str, base_warehouse: Path, tmp_path: Path
):
    database = tmp_path / "w.duckdb"
    shutil.copyfile(base_warehouse, database)
    before = snapshot(database)
    folder = tmp_path / "raw"
    folder.mkdir()
    REFUSALS[case].write(folder)

    with pytest.raises(LoadError) as error:
        load(folder, database)

    message = str(error.value)
    for expected in REFUSALS[case].expected:
        assert expected in message
    assert "nothing was loaded" in message
    assert "sniffing" not in message and "CSV Error" not in message
    assert snapshot(database) == before


# ---------------------------------------------------------------------------------------------
# the same through the command line, as an operator meets them


def test_cli_refuses_a_header_only_file_then_forces_it(
    runner: CliRunner, isolated: Isolated, tmp_path: Path
):
    write_csv(tmp_path / "full" / "leads.csv", HEADER, BASE_ROWS)
    write_csv(tmp_path / "empty" / "leads.csv", HEADER)
    assert runner.invoke(app, ["load", str(tmp_path / "full")]).exit_code == 0

    refused = runner.invoke(app, ["load", str(tmp_path / "empty")])
    forced = runner.invoke(app, ["load", str(tmp_path / "empty"), "--force"])

    assert refused.exit_code == 1
    assert "raw.leads: leads.csv has 0 rows, the table has 10" in refused.stderr
    assert "Traceback" not in refused.output
    assert forced.exit_code == 0, forced.output
    assert "Forced" in forced.output
    with duckdb.connect(str(isolated.warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from raw.leads").fetchone() == (0,)


def test_cli_append_twice_skips_the_second_and_says_which(
    runner: CliRunner, isolated: Isolated, tmp_path: Path
):
    write_csv(tmp_path / "new" / "leads.csv", HEADER, BASE_ROWS)

    first = runner.invoke(app, ["load", str(tmp_path / "new"), "--append"])
    second = runner.invoke(app, ["load", str(tmp_path / "new"), "--append"])

    assert first.exit_code == second.exit_code == 0
    assert "Skipped" not in first.output
    [skipped] = [line for line in second.output.splitlines() if line.startswith("Skipped")]
    assert skipped.startswith("Skipped leads.csv (raw.leads): already loaded: same checksum as")
    assert skipped.endswith("whose rows are in the table")  # one line, for scripts to grep
    with duckdb.connect(str(isolated.warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from raw.leads").fetchone() == (10,)


def test_cli_names_the_line_of_a_latin1_file(runner: CliRunner, isolated: Isolated, tmp_path: Path):
    write_bytes(tmp_path / "raw" / "leads.csv", latin1_content())

    result = runner.invoke(app, ["load", str(tmp_path / "raw")])

    assert result.exit_code == 1
    assert "leads.csv: line 3, column 'company_name': not UTF-8" in result.stderr
    assert not isolated.warehouse.exists()
