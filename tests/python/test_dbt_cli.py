"""`handoff.dbt_cli`, the one builder of dbt commands: pure functions -> argument lists."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from handoff import dbt_cli, settings
from handoff.as_of import AsOfError
from handoff.dbt_cli import DbtCommandError

AS_OF = "2026-03-20 12:00:00"
NO_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


def vars_of(args: list[str]) -> dict:
    assert args.count("--vars") == 1, args
    return yaml.safe_load(args[args.index("--vars") + 1])


def test_a_plain_build_skips_unit_tests_and_pins_nothing():
    assert dbt_cli.build_args() == ["build", *NO_UNIT_TESTS]
    assert dbt_cli.build_args(unit_tests=True) == ["build"]


def test_build_carries_as_of_in_its_canonical_form_as_json():
    args = dbt_cli.build_args("2026-03-20T13:00:00+01:00")

    assert args[:3] == ["build", *NO_UNIT_TESTS]
    assert json.loads(args[args.index("--vars") + 1]) == {"as_of": AS_OF}


def test_build_merges_passed_vars_into_one_and_puts_select_last():
    args = dbt_cli.build_args(
        AS_OF,
        select=["stg_crm__leads+ tag:x", "leads"],
        passthrough=[
            "--vars", "{calendar_padding_days: 3, alert_lookback_minutes: 5}",
            "--threads", "2",
            "--var={alert_lookback_minutes: 60}",
        ],
    )  # fmt: skip

    assert vars_of(args) == {
        "calendar_padding_days": 3,
        "alert_lookback_minutes": 60,
        "as_of": AS_OF,
    }
    assert args[:5] == ["build", "--threads", "2", *NO_UNIT_TESTS]
    assert args[-4:] == ["--select", "stg_crm__leads+", "tag:x", "leads"]


def test_as_of_passed_in_vars_goes_through_the_same_parser_and_the_flag_wins():
    from_vars = dbt_cli.build_args(passthrough=["--vars", "{as_of: 2026-03-20}"])
    both = dbt_cli.build_args("2026-03-21", passthrough=["--vars", "{as_of: 2026-03-20}"])

    assert vars_of(from_vars) == {"as_of": "2026-03-20 00:00:00"}
    assert vars_of(both) == {"as_of": "2026-03-21 00:00:00"}
    with pytest.raises(AsOfError, match="'20 March' is not a timestamp"):
        dbt_cli.build_args(passthrough=["--vars", "{as_of: 20 March}"])


@pytest.mark.parametrize(
    ("passthrough", "message"),
    [
        (["--vars"], "--vars needs a value"),
        (["--var", "as_of"], "must be a mapping"),
        (["--vars", "{as_of: [}"], "is not YAML"),
    ],
)
def test_bad_passed_vars_are_clear_errors(passthrough: list[str], message: str):
    with pytest.raises(DbtCommandError, match=message):
        dbt_cli.build_args(AS_OF, passthrough=passthrough)


def test_route_preview_and_test_commands():
    pinned = ["--vars", json.dumps({"as_of": AS_OF})]

    assert dbt_cli.run_args(["a", "b"], "2026-03-20T12:00") == [
        "run", "--quiet", "--select", "a", "b", *pinned,
    ]  # fmt: skip
    assert dbt_cli.dbt_test_args(["routing_rules"], AS_OF, exclude=["x+"]) == [
        "test", "--select", "routing_rules", "--exclude", "x+", *pinned,
    ]  # fmt: skip
    assert dbt_cli.compile_args(["m"], AS_OF, quiet=False) == ["compile", "--select", "m", *pinned]
    assert dbt_cli.parse_args() == ["--no-use-colors", "parse", "--quiet"]
    with pytest.raises(AsOfError):
        dbt_cli.run_args(["a"], "yesterday")


def test_the_executable_is_the_venvs_dbt():
    [executable, *args] = dbt_cli.command(["parse"])

    assert Path(executable).name == "dbt" and os.access(executable, os.X_OK)
    assert args == ["parse"]


def test_environment_makes_the_warehouse_path_absolute_where_it_was_meant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOFF_DUCKDB_PATH", "w/warehouse.duckdb")
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)

    env = dbt_cli.environment()
    assert env["HANDOFF_DUCKDB_PATH"] == str(tmp_path / "w" / "warehouse.duckdb")
    assert env["DBT_PROFILES_DIR"] == str(settings.PROFILES_DIR)
    assert env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false"

    copy = tmp_path / "copy.duckdb"
    env = dbt_cli.environment(copy, {"DBT_TARGET_PATH": "elsewhere"})
    assert env["HANDOFF_DUCKDB_PATH"] == str(copy)
    assert env["DBT_TARGET_PATH"] == "elsewhere"


def test_a_spark_session_keeps_its_files_where_its_environment_says(tmp_path: Path):
    env = settings.spark_session_environment({"HANDOFF_SPARK_DIR": str(tmp_path / "spark")})
    arguments = env["PYSPARK_SUBMIT_ARGS"]
    assert f"spark.sql.warehouse.dir={tmp_path / 'spark' / 'warehouse'}" in arguments
    assert f"databaseName={tmp_path / 'spark' / 'metastore_db'}" in arguments
