"""The `handoff` CLI: help, clear user errors, dbt pass-through, summaries, and real round trips.

Tests marked `dbt` run dbt (seconds each); they are part of the default suite.
"""

from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path

import duckdb
import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from conftest import FIXTURES_RAW, FixtureBuild, Isolated, write_csv
from handoff import demo, serve, summary
from handoff.cli import app

VERBS = ["generate", "load", "build", "demo", "dev"]
AS_OF = "2026-03-20 12:00:00"


def recording_console() -> Console:
    return Console(record=True, width=120, force_terminal=False)


# ---------------------------------------------------------------------------------------------
# help and argument errors


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_help(runner: CliRunner, verb: str):
    result = runner.invoke(app, [verb, "--help"])

    assert result.exit_code == 0, result.output
    assert f"Usage: handoff {verb}" in result.output


def test_no_arguments_lists_the_verbs(runner: CliRunner):
    result = runner.invoke(app, [])

    for verb in VERBS:
        assert verb in result.output


def test_build_without_a_loaded_warehouse_says_to_load_first(runner: CliRunner, isolated: Isolated):
    result = runner.invoke(app, ["build", "--as-of", AS_OF])

    assert result.exit_code == 1
    assert "load raw data first" in result.stderr
    assert not isolated.warehouse.exists()


def test_generate_rejects_bad_format_and_end_date(runner: CliRunner, tmp_path: Path):
    bad_format = runner.invoke(app, ["generate", "--out", str(tmp_path), "--format", "xlsx"])
    bad_end = runner.invoke(app, ["generate", "--out", str(tmp_path), "--end", "yesterday"])

    assert bad_format.exit_code == 2 and "xlsx" in bad_format.output
    assert bad_end.exit_code == 2 and "yesterday" in bad_end.output


# ---------------------------------------------------------------------------------------------
# load through the CLI


def test_load_prints_rows_per_table(runner: CliRunner, isolated: Isolated, tmp_path: Path):
    write_csv(tmp_path / "raw" / "leads.csv", ["lead_id", "created_at"], [["L1", "2026-03-01"]])

    result = runner.invoke(app, ["load", str(tmp_path / "raw")])

    assert result.exit_code == 0, result.output
    assert "leads" in result.output and "Created empty" in result.output
    with duckdb.connect(str(isolated.warehouse), read_only=True) as connection:
        assert connection.execute("select lead_id from raw.leads").fetchall() == [("L1",)]


def test_load_of_a_bad_folder_exits_1_with_the_problem_and_no_traceback(
    runner: CliRunner, isolated: Isolated, tmp_path: Path
):
    write_csv(tmp_path / "raw" / "leads.csv", ["lead_id", "created_at", "emial"], [])

    result = runner.invoke(app, ["load", str(tmp_path / "raw")])

    assert result.exit_code == 1
    assert "leads.csv: column 'emial'" in result.stderr
    assert "Traceback" not in result.output
    assert not isolated.warehouse.exists()


def test_load_and_build_report_a_warehouse_held_by_another_process(
    runner: CliRunner, isolated: Isolated, tmp_path: Path, hold_lock
):
    write_csv(tmp_path / "raw" / "leads.csv", ["lead_id", "created_at"], [["L1", "2026-03-01"]])
    hold_lock(isolated.warehouse)

    loaded = runner.invoke(app, ["load", str(tmp_path / "raw")])
    built = runner.invoke(app, ["build", "--as-of", AS_OF])

    for result in (loaded, built):
        assert result.exit_code == 1
        assert "in use by another process" in result.stderr
        assert "Traceback" not in result.output
    assert not isolated.target.exists()  # build stopped before dbt


# ---------------------------------------------------------------------------------------------
# summaries (read from files and tables written here, no dbt)


def test_run_results_are_counted_by_status_and_stale_ones_ignored(tmp_path: Path):
    results = [
        {"unique_id": "model.lead_handoff.a", "status": "success"},
        {"unique_id": "model.lead_handoff.b", "status": "error"},
        {"unique_id": "seed.lead_handoff.c", "status": "success"},
        {"unique_id": "test.lead_handoff.unique_a_id.1", "status": "pass", "failures": 0},
        {"unique_id": "test.lead_handoff.not_null_a_x.2", "status": "warn", "failures": 3},
        {"unique_id": "test.lead_handoff.rule_check.3", "status": "fail", "failures": 1},
        {"unique_id": "unit_test.lead_handoff.a.t1", "status": "pass"},
        {"unique_id": "unit_test.lead_handoff.a.t2", "status": "error"},
        {"unique_id": "test.lead_handoff.skipped_one.4", "status": "skipped"},
    ]
    (tmp_path / "run_results.json").write_text(
        json.dumps({"results": results, "elapsed_time": 2.5})
    )

    counted = summary.read_run_results(tmp_path)

    assert counted is not None
    assert dict(counted.tests) == {"pass": 2, "warn": 1, "fail": 1, "error": 1, "skipped": 1}
    assert dict(counted.nodes) == {"success": 2, "error": 1}
    assert counted.problems == [
        ("warn", "not_null_a_x", 3),
        ("fail", "rule_check", 1),
        ("error", "a::t2", None),
    ]
    modified = (tmp_path / "run_results.json").stat().st_mtime
    assert summary.read_run_results(tmp_path, not_before=modified + 5) is None
    assert summary.read_run_results(tmp_path / "missing") is None


def test_target_dir_follows_dbt_target_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("DBT_TARGET_PATH", raising=False)
    assert summary.target_dir() == summary.settings.PROJECT_DIR / "target"
    monkeypatch.setenv("DBT_TARGET_PATH", "target/someone")
    assert summary.target_dir() == summary.settings.PROJECT_DIR / "target" / "someone"
    assert summary.target_dir(["--target-path", str(tmp_path)]) == tmp_path


def test_handoff_summary_says_which_marts_are_not_built(tmp_path: Path):
    database = tmp_path / "w.duckdb"
    duckdb.connect(str(database)).close()
    console = recording_console()

    demo.print_handoff_summary(console, database)

    text = console.export_text()
    assert "marts.leads is not built yet." in text
    assert "marts.lead_sla is not built yet." in text
    assert "marts.quarantined_records is not built yet." in text


def test_handoff_summary_tabulates_the_marts_by_contract_columns(tmp_path: Path):
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.leads as select * from (values "
            "('a', 1, 'sql', false), ('b', 1, 'sql', false), ('c', 2, 'mql', false), "
            "('d', null, 'unqualified', false), ('e', null, 'unqualified', true)) "
            "as t(lead_id, priority_tier, qualification_stage, is_disqualified)"
        )
        connection.execute(
            "create table marts.lead_sla as select * from (values "
            "('a', 1, 'met', timestamp '2026-03-01 10:00'), ('b', 1, 'breached', null), "
            "('c', 2, 'breached', timestamp '2026-03-02 10:00'), ('f', 2, 'pending', null)) "
            "as t(lead_id, priority_tier, sla_status, first_valid_touch_at)"
        )
        connection.execute(
            "create table marts.quarantined_records as select * from (values "
            "('leads', 'x', 'row_excluded', 'duplicate_key', 'lead_id'), "
            "('accounts', 'z', 'row_excluded', 'duplicate_key', 'account_id'), "
            "('leads', 'y', 'row_excluded', 'duplicate_key', 'lead_id'), "
            "('sales_reps', 'r', 'value_dropped', 'unknown_time_zone', 'timezone')) "
            "as t(source_table, record_key, issue_action, issue_reason, issue_column)"
        )
    console = recording_console()

    demo.print_handoff_summary(console, database)

    lines = [
        " ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()
    ]
    assert "Leads by qualification stage and priority tier (5 leads)" in lines
    assert "unqualified 0 0 1 1" in lines  # tier 1, tier 2, no tier, total
    assert "mql 0 1 0 1" in lines
    assert "sql 2 0 0 2" in lines
    assert "disqualified 0 0 1 1" in lines
    assert "tier 1 1 1 0 50%" in lines  # met, breached, pending, met of decided
    assert "tier 2 0 1 1 0%" in lines
    assert "Current breaches: 2 (1 still without a valid first touch)" in lines
    assert "duplicate_key row excluded 3 accounts.account_id, leads.lead_id" in lines
    assert "unknown_time_zone value dropped 1 sales_reps.timezone" in lines


# ---------------------------------------------------------------------------------------------
# dev


def test_dagster_home_gets_the_loop_config_and_keeps_a_foreign_one(tmp_path: Path):
    home = serve.ensure_dagster_home(tmp_path / "dagster_home")
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    assert config["telemetry"] == {"enabled": False}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["concurrency"]["pools"] == {"default_limit": 1, "granularity": "run"}

    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nretention: {}\n")
    serve.ensure_dagster_home(home)
    assert "retention" in (home / "dagster.yaml").read_text()  # someone else's config is kept


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        (
            ["dev", "--port", "3123"],
            ["dev", "-m", "handoff.definitions", "-h", "127.0.0.1", "-p", "3123"],
        ),
        (["serve"], ["run", "-m", "handoff.definitions"]),
    ],
)
def test_dev_and_serve_prepare_the_manifest_then_run_dagster(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    verb: list[str],
    expected: list[str],
):
    calls: list[object] = []
    monkeypatch.setattr(serve, "prepare", lambda: calls.append("prepare"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))

    def fake_run(command, env):
        calls.append(("run", command, env["DAGSTER_HOME"]))
        return 0

    monkeypatch.setattr(serve, "run_group", fake_run)

    result = runner.invoke(app, verb)

    assert result.exit_code == 0, result.output
    assert calls[0] == "prepare"
    _, command, home = calls[1]
    assert os.access(command[0], os.X_OK)
    assert command[1:] == expected
    assert home == str(tmp_path / "dagster_home")
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()


def test_serve_skips_dbt_parse_only_when_the_manifest_is_newer_than_the_project(tmp_path: Path):
    (tmp_path / "models").mkdir()
    model = write_csv(tmp_path / "models" / "a.sql", ["select 1"])
    manifest = tmp_path / "manifest.json"
    assert not serve.manifest_is_current(manifest, tmp_path)
    manifest.write_text("{}")
    os.utime(model, (manifest.stat().st_mtime - 10,) * 2)
    assert serve.manifest_is_current(manifest, tmp_path)
    os.utime(model, (manifest.stat().st_mtime + 10,) * 2)  # a model edited since
    assert not serve.manifest_is_current(manifest, tmp_path)


def test_dev_reports_a_failed_manifest_without_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    # a stand-in for handoff.dbt_project: importing the real one would freeze its target path
    # (read from DBT_TARGET_PATH at import) for the Dagster tests that run later
    class ManifestError(RuntimeError):
        pass

    def broken() -> None:
        raise ManifestError("`dbt parse` failed (exit 2)")

    stand_in = types.ModuleType("handoff.dbt_project")
    stand_in.prepare_manifest = broken
    stand_in.handoff_dbt_project = types.SimpleNamespace(manifest_path=tmp_path / "none.json")
    monkeypatch.setitem(sys.modules, "handoff.dbt_project", stand_in)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setattr(serve, "run_group", lambda *args: pytest.fail("dagster must not start"))

    result = runner.invoke(app, ["dev"])

    assert result.exit_code == 1
    assert "`dbt parse` failed (exit 2)" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------
# real dbt runs


def mart_counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE'"
        ).fetchall()
        return {
            name: connection.execute(f"select count(*) from marts.{name}").fetchone()[0]
            for (name,) in names
        }


def assert_build_summary(output: str, database: Path, target: Path) -> None:
    assert "Build summary" in output
    assert "dbt results" in output
    counts = mart_counts(database)
    assert counts, "the build made no mart"
    for name, rows in counts.items():
        assert any(name in line and f"{rows:,}" in line for line in output.splitlines()), name
    run_results = json.loads((target / "run_results.json").read_text())
    assert run_results["args"]["vars"] == {"as_of": AS_OF}
    tests = [
        r for r in run_results["results"] if r["unique_id"].startswith(("test.", "unit_test."))
    ]
    passed = sum(r["status"] == "pass" for r in tests)
    assert f"data and unit tests: {passed} pass" in output


@pytest.mark.dbt
def test_build_passes_unknown_flags_to_dbt_and_exits_with_its_code(
    runner: CliRunner, isolated: Isolated, tmp_path: Path
):
    write_csv(tmp_path / "raw" / "leads.csv", ["lead_id", "created_at"], [["L1", "2026-03-01"]])
    assert runner.invoke(app, ["load", str(tmp_path / "raw")]).exit_code == 0

    result = runner.invoke(app, ["build", "--as-of", AS_OF, "--no-such-dbt-flag"])

    assert result.exit_code == 2  # dbt's own usage error
    assert "no-such-dbt-flag" in result.output
    assert "dbt build failed" in result.stderr


def generate_and_load(runner: CliRunner, isolated: Isolated, file_format: str) -> None:
    """`handoff generate` (200 leads ending 2026-03-20) then `handoff load`, both checked."""
    raw = isolated.root / "raw"
    generated = runner.invoke(
        app,
        [
            *("generate", "--out", str(raw), "--leads", "200", "--days", "10"),
            *("--end", "2026-03-20", "--format", file_format),
        ],
    )
    assert generated.exit_code == 0, generated.output
    assert "leads" in generated.output and "Took" in generated.output
    assert (raw / f"leads.{file_format}").exists()

    loaded = runner.invoke(app, ["load", str(raw)])
    assert loaded.exit_code == 0, loaded.output
    with duckdb.connect(str(isolated.warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from raw.leads").fetchone()[0] >= 200


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_generate_then_load(runner: CliRunner, isolated: Isolated, file_format: str):
    generate_and_load(runner, isolated, file_format)


# a full build of generated data: `make test` has the demo's (parquet), CI both formats here
@pytest.mark.dbt
@pytest.mark.slow
@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_generate_load_build_round_trip(runner: CliRunner, isolated: Isolated, file_format: str):
    generate_and_load(runner, isolated, file_format)

    built = runner.invoke(app, ["build", "--as-of", AS_OF])
    assert built.exit_code == 0, built.output
    assert_build_summary(built.output, isolated.warehouse, isolated.target)


@pytest.mark.dbt
def test_committed_fixtures_load_and_build(fixture_build: FixtureBuild):
    """The session's build of the committed fixtures (conftest.fixture_build), through the CLI."""
    assert sorted(path.stem for path in FIXTURES_RAW.glob("*.csv")), "no fixtures committed"
    assert "Rows loaded into" in fixture_build.load_output

    assert_build_summary(fixture_build.build_output, fixture_build.warehouse, fixture_build.target)
    # the fixtures exercise every quarantine reason: the summary lists them
    assert "Quarantine by reason" in fixture_build.build_output


@pytest.mark.dbt
def test_demo_runs_end_to_end_into_its_own_folder(runner: CliRunner, isolated: Isolated):
    out = isolated.root / "demo"

    result = runner.invoke(
        app, ["demo", "--leads", "200", "--days", "10", "--seed", "3", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert (out / "handoff.duckdb").exists()
    assert not isolated.warehouse.exists()  # the demo uses its own fresh warehouse
    assert any(out.joinpath("raw").glob("leads.*"))
    assert "sla_alerts.jsonl" in result.output
    assert (out / "deliveries" / "crm_assignment_sync.jsonl").stat().st_size > 0
    assert "The handoff" in result.output and "Where things are" in result.output
    assert str(out / "handoff.duckdb") in result.output.replace("\n", "")
    (report,) = (out / "reports").glob("handoff-report-*.html")  # the monthly report
    assert str(report) in result.output.replace("\n", "")
