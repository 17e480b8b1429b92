"""The raw loader: contract validation, all-or-nothing, replace and append, types, _loaded_at,
the load ledger ops.loads, skipped repeats and the volume guard. Bad files: test_load_bad_input."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import write_csv
from handoff import settings
from handoff.contract import raw_tables
from handoff.load import LOADED_AT, LoadError, VolumeGuardError, load, load_directory
from handoff.warehouse import WarehouseBusyError

LEAD_HEADER = ["lead_id", "created_at", "email", "company_domain"]
LEAD_ROWS = [
    ["L1", "2026-03-01 09:00:00", "ann@example.com", "example.com"],
    ["L2", "2026-03-02 10:30:00", None, None],
    ["L3", "not a time", "x@y.z", "y.z"],
]
EVENT_HEADER = ["event_id", "lead_id", "occurred_at", "event_type"]
EVENT_ROWS = [["E1", "L1", "2026-03-01 09:05:00", "demo_request"]]
OPS_SOURCES = Path("models/staging/ops/_ops__sources.yml")


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

    # 1 row replacing 3 would be refused as a truncated extract: forced here
    assert load(second, database, force=True).rows == {"leads": 1}

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

    assert query(database, "select count(*) from raw.leads") == [(3,)]
    assert query(database, "select count(*) from raw.holidays") == [(0,)]
    assert ledger(database) == [
        ("leads", "leads.csv", "append", 3, None, False),
        ("marketing_events", "marketing_events.csv", "append", 1, None, False),
    ]


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

    with pytest.raises(LoadError, match=r"leads\.csv: line 30002: wrong number of fields"):
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


# ---------------------------------------------------------------------------------------------
# the ledger ops.loads, skipped repeats, the volume guard


def ledger(database: Path) -> list[tuple]:
    return query(
        database,
        "select table_name, file_name, mode, row_count, previous_row_count, is_forced "
        "from ops.loads order by loaded_at, table_name",
    )


def test_every_loaded_file_is_recorded_with_its_checksum_in_the_same_load(
    csv_dir: Path, tmp_path: Path
):
    database = tmp_path / "w.duckdb"

    result = load(csv_dir, database, source_label="inbox/2026-03-20")

    assert ledger(database) == [
        ("leads", "leads.csv", "replace", 3, None, False),
        ("marketing_events", "marketing_events.csv", "replace", 1, None, False),
    ]
    checksum, size, label, load_id, loaded_at = query(
        database,
        "select checksum, file_bytes, source_label, load_id, loaded_at "
        "from ops.loads where table_name = 'leads'",
    )[0]
    leads_file = csv_dir / "leads.csv"
    assert checksum == hashlib.sha256(leads_file.read_bytes()).hexdigest()
    assert size == leads_file.stat().st_size
    assert (label, load_id, loaded_at) == ("inbox/2026-03-20", result.load_id, result.loaded_at)
    assert query(database, "select distinct _loaded_at from raw.leads") == [(result.loaded_at,)]


def test_appending_the_same_folder_twice_skips_the_second_and_says_why(
    csv_dir: Path, tmp_path: Path
):
    database = tmp_path / "w.duckdb"
    more = tmp_path / "more"
    write_csv(more / "leads.csv", ["lead_id", "created_at"], [["L4", "2026-03-04 08:00:00"]])
    load(csv_dir, database)

    first = load(more, database, append=True)
    second = load(more, database, append=True)

    assert first.rows == {"leads": 1} and first.skipped == []
    assert second.rows == {}
    [skipped] = second.skipped
    assert (skipped.table, skipped.file_name) == ("leads", "leads.csv")
    assert skipped.reason.startswith("already loaded: same checksum as leads.csv loaded at")
    assert query(database, "select count(*) from raw.leads") == [(4,)]
    assert [row[:4] for row in ledger(database)][-2:] == [
        ("leads", "leads.csv", "append", 1),
        ("leads", "leads.csv", "skipped", 0),
    ]


def test_a_file_already_in_the_table_by_replace_is_skipped_by_append(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load(csv_dir, database)

    again = load(csv_dir, database, append=True)

    assert again.rows == {}
    assert {skipped.table for skipped in again.skipped} == {"leads", "marketing_events"}
    assert query(database, "select count(*) from raw.leads") == [(3,)]


def test_after_a_replace_an_earlier_file_is_new_data_again(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    more = tmp_path / "more"
    write_csv(more / "leads.csv", ["lead_id", "created_at"], [["L4", "2026-03-04 08:00:00"]])
    load(csv_dir, database)
    load(more, database, append=True)
    load(csv_dir, database)  # the table holds the first file again, not the appended one

    result = load(more, database, append=True)

    assert result.rows == {"leads": 1} and result.skipped == []
    assert query(database, "select count(*) from raw.leads") == [(4,)]


def leads_folder(folder: Path, count: int) -> Path:
    """A folder whose leads.csv holds `count` leads."""
    rows = [[f"{folder.name}{i}", "2026-03-01"] for i in range(count)]
    write_csv(folder / "leads.csv", ["lead_id", "created_at"], rows)
    return folder


def warehouse_with_four_leads(tmp_path: Path) -> Path:
    database = tmp_path / "w.duckdb"
    load(leads_folder(tmp_path / "L", 4), database)
    return database


@pytest.mark.parametrize(
    ("rows", "counts"),
    [
        (0, "0 rows, the table has 4 (an empty file)"),
        (1, "1 row, the table has 4 (fewer than half"),
    ],
)
def test_replacing_with_fewer_than_half_the_rows_is_refused(rows: int, counts: str, tmp_path: Path):
    database = warehouse_with_four_leads(tmp_path)

    with pytest.raises(VolumeGuardError) as error:
        load(leads_folder(tmp_path / "N", rows), database)

    assert f"raw.leads: leads.csv has {counts}" in str(error.value)
    assert "--force" in str(error.value)
    assert query(database, "select count(*) from raw.leads where lead_id like 'L%'") == [(4,)]
    assert len(ledger(database)) == 1  # the refused load left no ledger row either


def test_replacing_with_half_the_rows_is_allowed(tmp_path: Path):
    database = warehouse_with_four_leads(tmp_path)

    assert load(leads_folder(tmp_path / "N", 2), database).rows == {"leads": 2}


def test_force_replaces_anyway_and_the_ledger_says_so(tmp_path: Path):
    database = warehouse_with_four_leads(tmp_path)
    empty = leads_folder(tmp_path / "empty", 0)

    result = load(empty, database, force=True)

    assert result.rows == {"leads": 0} and result.forced == ["leads"]
    assert query(database, "select count(*) from raw.leads") == [(0,)]
    assert ledger(database)[-1] == ("leads", "leads.csv", "replace", 0, 4, True)
    assert (
        "forced: replaced 4 rows with 0"
        in query(database, "select note from ops.loads where is_forced")[0][0]
    )


def test_every_refused_table_is_named_and_nothing_is_loaded(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load(csv_dir, database)
    headers_only = tmp_path / "headers_only"
    write_csv(headers_only / "leads.csv", LEAD_HEADER)
    write_csv(headers_only / "marketing_events.csv", EVENT_HEADER)
    write_csv(headers_only / "holidays.csv", ["holiday_calendar", "holiday_date"])  # was empty

    with pytest.raises(VolumeGuardError) as error:
        load(headers_only, database)

    assert "raw.leads: leads.csv has 0 rows, the table has 3" in str(error.value)
    assert "raw.marketing_events: marketing_events.csv has 0 rows, the table has 1" in str(
        error.value
    )
    assert "holidays" not in str(error.value)
    assert query(database, "select count(*) from raw.leads") == [(3,)]


def test_append_and_a_first_load_are_never_refused(tmp_path: Path):
    database = tmp_path / "w.duckdb"
    empty = tmp_path / "empty"
    write_csv(empty / "leads.csv", ["lead_id", "created_at"])

    assert load(empty, database).rows == {"leads": 0}  # nothing to protect yet
    load(empty, database)  # an empty table replaced by an empty file
    assert load(empty, database, append=True).skipped  # same file: skipped, not refused


def test_the_ledger_is_the_dbt_source_ops_loads_and_not_a_raw_table(csv_dir: Path, tmp_path: Path):
    database = tmp_path / "w.duckdb"
    load(csv_dir, database)
    sources = yaml.safe_load((settings.PROJECT_DIR / OPS_SOURCES).read_text())["sources"]
    [ops] = [source for source in sources if source["name"] == "ops"]
    [declared] = [table for table in ops["tables"] if table["name"] == "loads"]

    columns = query(
        database,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'ops' and table_name = 'loads' order by ordinal_position",
    )
    assert [(c["name"], c["data_type"].upper()) for c in declared["columns"]] == columns
    assert ops["schema"] == "ops"
    assert "loads" not in raw_tables()  # `handoff load` takes no file for it
