"""The raw loader: contract validation, all-or-nothing, replace and append, types, _loaded_at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import write_csv
from handoff.contract import raw_tables
from handoff.load import LOADED_AT, LoadError, load, load_directory
from handoff.warehouse import WarehouseBusyError

LEAD_HEADER = ["lead_id", "created_at", "email", "company_domain"]
LEAD_ROWS = [
    ["L1", "2026-03-01 09:00:00", "ann@example.com", "example.com"],
    ["L2", "2026-03-02 10:30:00", None, None],
    ["L3", "not a time", "x@y.z", "y.z"],
]
EVENT_HEADER = ["event_id", "lead_id", "occurred_at", "event_type"]
EVENT_ROWS = [["E1", "L1", "2026-03-01 09:05:00", "demo_request"]]


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def column_types(database: Path, table: str) -> dict[str, str]:
    rows = query(
        database,
        "select column_name, data_type from information_schema.columns "
        f"where table_schema = 'raw' and table_name = '{table}' order by ordinal_position",
    )
    return dict(rows)


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw_csv"
    write_csv(folder / "leads.csv", LEAD_HEADER, LEAD_ROWS)
    write_csv(folder / "marketing_events.csv", EVENT_HEADER, EVENT_ROWS)
    return folder


def test_csv_loads_every_row_as_text_with_all_contract_columns(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "nested" / "folder" / "w.duckdb"  # parent folders are created

    rows = load_directory(csv_dir, database)

    assert rows == {"leads": 3, "marketing_events": 1}
    contract = raw_tables()["leads"]
    types = column_types(database, "leads")
    assert list(types) == [*contract.columns, LOADED_AT]
    assert {types[column] for column in contract.columns} == {"VARCHAR"}  # staging casts
    assert types[LOADED_AT] == "TIMESTAMP"
    # values arrive untouched (even an unparseable timestamp); missing optional columns are null
    assert query(database, "select lead_id, created_at, email, job_title from raw.leads") == [
        ("L1", "2026-03-01 09:00:00", "ann@example.com", None),
        ("L2", "2026-03-02 10:30:00", None, None),
        ("L3", "not a time", "x@y.z", None),
    ]


def test_parquet_keeps_its_types(tmp_path: Path):
    folder = tmp_path / "raw_parquet"
    folder.mkdir()
    created = [datetime(2026, 3, 1, 9), datetime(2026, 3, 2, 10, 30)]
    pq.write_table(
        pa.table(
            {
                "lead_id": ["L1", "L2"],
                "created_at": pa.array(created, pa.timestamp("us")),
                "employee_count": pa.array([120, None], pa.int32()),
                "annual_revenue_usd": [1.5e6, 2.0e7],
            }
        ),
        folder / "leads.parquet",
    )
    database = tmp_path / "w.duckdb"

    assert load_directory(folder, database) == {"leads": 2}

    types = column_types(database, "leads")
    assert types["created_at"] == "TIMESTAMP"
    assert types["employee_count"] == "INTEGER"
    assert types["annual_revenue_usd"] == "DOUBLE"
    assert types["email"] == "VARCHAR"  # absent optional column: null text
    assert query(database, "select lead_id, created_at, employee_count, email from raw.leads") == [
        ("L1", created[0], 120, None),
        ("L2", created[1], None, None),
    ]


def test_every_missing_contract_table_is_created_empty(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"

    result = load(csv_dir, database)

    contract = raw_tables()
    assert sorted(result.created_empty) == sorted(set(contract) - {"leads", "marketing_events"})
    for name in result.created_empty:
        types = column_types(database, name)
        assert list(types) == [*contract[name].columns, LOADED_AT]
        assert {types[column] for column in contract[name].columns} == {"VARCHAR"}
        assert query(database, f"select count(*) from raw.{name}") == [(0,)]


def test_loaded_at_is_the_load_time_in_utc_and_the_same_for_every_table(
    csv_dir: Path, tmp_path: Path
):
    database = tmp_path / "w.duckdb"
    before = datetime.now(UTC).replace(tzinfo=None)

    load_directory(csv_dir, database)

    after = datetime.now(UTC).replace(tzinfo=None)
    stamps = query(
        database,
        "select distinct _loaded_at from raw.leads "
        "union select distinct _loaded_at from raw.marketing_events",
    )
    assert len(stamps) == 1
    assert before - timedelta(seconds=1) <= stamps[0][0] <= after + timedelta(seconds=1)


def test_replace_mode_replaces_only_the_tables_in_the_folder(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load_directory(csv_dir, database)
    second = tmp_path / "second"
    write_csv(second / "leads.csv", ["lead_id", "created_at"], [["L9", "2026-03-09 08:00:00"]])

    assert load_directory(second, database) == {"leads": 1}

    assert query(database, "select lead_id from raw.leads") == [("L9",)]
    assert query(database, "select event_id from raw.marketing_events") == [("E1",)]


def test_append_inserts_by_column_name(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load_directory(csv_dir, database)
    more = tmp_path / "more"
    # other column order and other columns than the first load: matched by name
    write_csv(
        more / "leads.csv", ["job_title", "created_at", "lead_id"], [["CTO", "2026-03-05", "L4"]]
    )

    assert load_directory(more, database, append=True) == {"leads": 1}

    assert query(database, "select lead_id, job_title, created_at from raw.leads order by 1") == [
        ("L1", None, "2026-03-01 09:00:00"),
        ("L2", None, "2026-03-02 10:30:00"),
        ("L3", None, "not a time"),
        ("L4", "CTO", "2026-03-05"),
    ]
    assert query(database, "select count(distinct _loaded_at) from raw.leads") == [(2,)]
    assert query(database, "select count(*) from raw.marketing_events") == [(1,)]


def test_append_creates_a_missing_table(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"

    assert load_directory(csv_dir, database, append=True) == {"leads": 3, "marketing_events": 1}
    assert load_directory(csv_dir, database, append=True) == {"leads": 3, "marketing_events": 1}

    assert query(database, "select count(*) from raw.leads") == [(6,)]
    assert query(database, "select count(*) from raw.holidays") == [(0,)]


def test_header_only_csv_loads_an_empty_table(tmp_path: Path):
    folder = tmp_path / "raw"
    write_csv(folder / "holidays.csv", ["holiday_calendar", "holiday_date"])
    database = tmp_path / "w.duckdb"

    assert load_directory(folder, database) == {"holidays": 0}
    assert list(column_types(database, "holidays")) == [
        "holiday_calendar",
        "holiday_date",
        "holiday_name",
        LOADED_AT,
    ]


def test_unknown_column_names_file_and_column_and_suggests_the_closest(tmp_path: Path):
    folder = tmp_path / "raw"
    write_csv(folder / "leads.csv", ["lead_id", "created_at", "emial"], [["L1", "2026-03-01", "a"]])

    with pytest.raises(LoadError) as error:
        load_directory(folder, tmp_path / "w.duckdb")

    message = str(error.value)
    assert "leads.csv" in message
    assert "'emial'" in message
    assert "did you mean 'email'" in message


def test_unknown_table_file_is_named_with_the_valid_names(tmp_path: Path):
    folder = tmp_path / "raw"
    write_csv(folder / "lead.csv", ["lead_id", "created_at"], [["L1", "2026-03-01"]])

    with pytest.raises(LoadError) as error:
        load_directory(folder, tmp_path / "w.duckdb")

    message = str(error.value)
    assert "lead.csv" in message
    for name in raw_tables():
        assert name in message


def test_missing_required_column_is_named(tmp_path: Path):
    folder = tmp_path / "raw"
    write_csv(folder / "marketing_events.csv", ["event_id", "lead_id", "occurred_at"], [])

    with pytest.raises(LoadError) as error:
        load_directory(folder, tmp_path / "w.duckdb")

    assert "marketing_events.csv" in str(error.value)
    assert "'event_type'" in str(error.value)


def test_every_problem_of_the_folder_is_reported_at_once(tmp_path: Path):
    folder = tmp_path / "raw"
    write_csv(folder / "leads.csv", ["lead_id", "created_at", "emial"], [])
    write_csv(folder / "accounts.csv", ["domain"], [])
    write_csv(folder / "nonsense.csv", ["a"], [])

    with pytest.raises(LoadError) as error:
        load_directory(folder, tmp_path / "w.duckdb")

    message = str(error.value)
    assert "'emial'" in message
    assert "'account_id'" in message
    assert "nonsense.csv" in message


def test_a_bad_folder_leaves_an_existing_warehouse_untouched(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load_directory(csv_dir, database)
    before = query(database, "select * from raw.leads order by lead_id")
    bad = tmp_path / "bad"
    write_csv(bad / "leads.csv", ["lead_id", "created_at"], [["NEW", "2026-03-10"]])
    write_csv(bad / "marketing_events.csv", ["event_id", "lead_id"], [["E2", "NEW"]])

    with pytest.raises(LoadError):
        load_directory(bad, database)

    assert query(database, "select * from raw.leads order by lead_id") == before


def test_a_bad_folder_does_not_create_the_warehouse(tmp_path: Path):
    bad = tmp_path / "bad"
    write_csv(bad / "leads.csv", ["created_at"], [["2026-03-10"]])
    database = tmp_path / "w.duckdb"

    with pytest.raises(LoadError):
        load_directory(bad, database)

    assert not database.exists()


def test_a_file_that_fails_while_loading_rolls_back_the_whole_load(tmp_path: Path):
    database = tmp_path / "w.duckdb"
    typed = tmp_path / "typed"
    typed.mkdir()
    pq.write_table(
        pa.table({"opportunity_id": ["O1"], "created_at": pa.array([datetime(2026, 3, 1)])}),
        typed / "opportunities.parquet",
    )
    load_directory(typed, database)  # raw.opportunities.created_at is a TIMESTAMP now
    bad = tmp_path / "bad"
    # files load in name order: leads.csv is written before opportunities.csv fails
    write_csv(bad / "leads.csv", LEAD_HEADER, LEAD_ROWS)
    write_csv(bad / "opportunities.csv", ["opportunity_id", "created_at"], [["O2", "not a time"]])

    with pytest.raises(LoadError) as error:
        load_directory(bad, database, append=True)  # text into the timestamp column fails

    assert "opportunities.csv" in str(error.value)
    assert query(database, "select count(*) from raw.leads") == [(0,)]
    assert query(database, "select opportunity_id from raw.opportunities") == [("O1",)]


def test_a_first_load_that_fails_leaves_no_warehouse_file(tmp_path: Path):
    folder = tmp_path / "raw"
    # the header passes the check; a malformed line past DuckDB's sniffing sample fails the load
    rows = [[f"L{i}", "2026-03-01"] for i in range(30_000)]
    write_csv(folder / "leads.csv", ["lead_id", "created_at"], [*rows, ["L", "x", "extra", "more"]])
    database = tmp_path / "w.duckdb"

    with pytest.raises(LoadError, match=r"leads\.csv: .*CSV Error"):
        load_directory(folder, database)

    assert not database.exists()


def test_two_files_for_one_table_are_rejected(csv_dir: Path, tmp_path: Path):
    pq.write_table(
        pa.table({"lead_id": ["L1"], "created_at": ["2026-03-01"]}), csv_dir / "leads.parquet"
    )

    with pytest.raises(LoadError) as error:
        load_directory(csv_dir, tmp_path / "w.duckdb")

    assert "leads.csv" in str(error.value) and "leads.parquet" in str(error.value)


def test_empty_file_folder_without_data_and_missing_folder_are_clear_errors(tmp_path: Path):
    empty_file = tmp_path / "empty"
    empty_file.mkdir()
    (empty_file / "leads.csv").write_text("")
    with pytest.raises(LoadError, match=r"leads\.csv: the file is empty"):
        load_directory(empty_file, tmp_path / "w.duckdb")

    no_data = tmp_path / "no_data"
    no_data.mkdir()
    (no_data / "README.txt").write_text("not data")
    with pytest.raises(LoadError, match=r"no \.csv or \.parquet file"):
        load_directory(no_data, tmp_path / "w.duckdb")

    with pytest.raises(LoadError, match="is not a folder"):
        load_directory(tmp_path / "missing", tmp_path / "w.duckdb")


def test_a_warehouse_held_by_another_process_is_a_clear_error(
    csv_dir: Path, tmp_path: Path, hold_lock
):
    database = tmp_path / "w.duckdb"
    hold_lock(database)

    with pytest.raises(WarehouseBusyError, match="in use by another process"):
        load_directory(csv_dir, database)
