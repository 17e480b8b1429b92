"""Incremental runs build what a full build builds (README "Scale", issue 13).

The committed fixtures are cut in three drops by the time each row came into being
(handoff_datagen.slices: leads by created_at, events and activities by occurred_at, ...; rows
whose time does not parse go with the first drop). A fresh warehouse loads the first drop and
builds, appends the second (`handoff load --append`) and builds, then appends the third and
builds with every data test, all as of FIXTURES_AS_OF: the later drops arrive late for that
instant, the hard case for an incremental model. (With as_of moving with the drops, the
routing ledgers' `recorded_at` and backfill flags rightly differ from a one-shot build: they
record when a decision was first made.) Every mart other systems read must then equal the
session's full build of the whole folder (`fixture_build`) row for row, except the two that
record the builds themselves, and the incremental models must really have run incrementally.
A second sequence builds each drop as of its own end (as_of moving on, as in production) and
compares the per-lead scoring tables (macros/handoff/lead_increment.sql) with the full build's,
and the SLA facts (macros/handoff/sla_increment.sql) with the facts computed afresh from the
same warehouse.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES_AS_OF, FIXTURES_RAW, SCORING_MODELS, FixtureBuild, Isolated
from handoff import settings
from handoff.build import run_dbt_build
from handoff.warehouse import connect
from handoff_datagen.slices import split_by_time
from mart_comparison import compared_marts, mart_differences, script_module

pytestmark = [pytest.mark.dbt, pytest.mark.slow]

# each drop holds leads, events and activities of the fixtures (test_the_drops_* checks it)
CUTOFFS = [datetime(2026, 2, 19), datetime(2026, 3, 11)]
INCREMENTAL_MODELS = ("base_marketing__events", "base_crm__sales_activities")
# the per-run steps that read the per-lead scoring tables (SCORING_MODELS)
SCORED_FROM_INCREMENTS = ("int_lead_scores_current", "int_lead_score_rules_fired")
BUILD_STAMPS = {"built_as_of", "built_loaded_at", "rules_fingerprint"}
SLA_FACTS = "int_lead_sla_facts_computed"
# one row per build and raw table: three builds are not one
BUILD_HISTORY_MARTS = ("raw_volume_history", "raw_volume_changes")
warehouse_io = script_module("warehouse_io")


def read_marts(warehouse: Path, models: list[str]) -> dict:
    """The marts' rows as scripts/engines/warehouse_io.py dumps them (values normalised)."""
    marts = {}
    with connect(warehouse, read_only=True) as connection:
        for model in models:
            result = connection.execute(f"select * from marts.{model}")
            marts[model] = {
                "columns": [column[0] for column in result.description],
                "rows": [[warehouse_io.normalise(v) for v in row] for row in result.fetchall()],
            }
    return marts


def use_warehouse(patch: pytest.MonkeyPatch, root: Path) -> None:
    """Point the CLI at a warehouse, target and logs of its own under root."""
    patch.setenv("HANDOFF_DUCKDB_PATH", str(root / "handoff.duckdb"))
    patch.setenv("DBT_TARGET_PATH", str(root / "target"))
    patch.setenv("DBT_LOG_PATH", str(root / "logs"))
    patch.setenv("DBT_PROFILES_DIR", str(settings.PROFILES_DIR))
    patch.delenv("HANDOFF_TARGET", raising=False)


@pytest.fixture(scope="module")
def drops(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return split_by_time(FIXTURES_RAW, tmp_path_factory.mktemp("drops"), CUTOFFS)


@pytest.fixture(scope="module")
def incremental_build(drops: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drops loaded one after the other, each followed by `handoff build`; the target."""
    from handoff.cli import app

    root = tmp_path_factory.mktemp("incremental_warehouse")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        use_warehouse(patch, root)
        for index, drop in enumerate(drops):
            load_args = ["load", str(drop)] + (["--append"] if index else [])
            loaded = runner.invoke(app, load_args)
            assert loaded.exit_code == 0, loaded.output
            last = index == len(drops) - 1
            # the earlier builds skip the data tests (the last one runs them all)
            build_args = ["build", "--as-of", FIXTURES_AS_OF] + (
                [] if last else ["--exclude-resource-type", "test"]
            )
            built = runner.invoke(app, build_args)
            assert built.exit_code == 0, built.output
    return root


def test_the_drops_split_the_fixtures(drops: list[Path]) -> None:
    with connect(Path(":memory:")) as connection:
        for table in ("leads", "marketing_events", "sales_activities"):
            counts = [
                connection.execute(f"select count(*) from '{drop / table}.parquet'").fetchone()[0]
                for drop in drops
            ]
            assert all(counts), f"{table}: every drop has rows, not {counts}"
            lines = (FIXTURES_RAW / f"{table}.csv").read_text().count("\n") - 1
            assert sum(counts) == lines, f"{table}: {counts} rows in drops, {lines} in the file"


def test_incremental_runs_build_the_full_builds_marts(
    incremental_build: Path, fixture_build: FixtureBuild
) -> None:
    manifest = json.loads((incremental_build / "target" / "manifest.json").read_text())
    models = [name for name in compared_marts(manifest) if name not in BUILD_HISTORY_MARTS]
    full = read_marts(fixture_build.warehouse, models)
    incremental = read_marts(incremental_build / "handoff.duckdb", models)
    problems = [
        problem
        for name in models
        for problem in mart_differences(name, full[name], incremental[name], reference="full")
    ]
    assert not problems, "incremental runs differ from the full build:\n" + "\n".join(problems)
    assert full["leads"]["rows"] and full["lead_assignments"]["rows"]


def test_the_staging_ran_incrementally(incremental_build: Path) -> None:
    """The last build staged only the touched keys: its compiled SQL reads the staged table."""
    compiled = incremental_build / "target" / "run" / "lead_handoff" / "models" / "staging"
    for model in INCREMENTAL_MODELS:
        (sql,) = compiled.rglob(f"{model}.sql")
        text = sql.read_text()
        assert "delete from" in text and f"staging.{model}" in text.replace('"', ""), model


def test_the_scoring_and_sla_facts_ran_incrementally(incremental_build: Path) -> None:
    """The last build rebuilt only the touched leads: its compiled SQL selects them. (Not
    int_lead_event_bursts_detected: the fixtures' one burst comes with the last drop, so its
    table was empty before, and an empty table is built as a first build is.)"""
    compiled = incremental_build / "target" / "compiled" / "lead_handoff" / "models"
    for model in (set(SCORING_MODELS) - {"int_lead_event_bursts_detected"}) | {SLA_FACTS}:
        (sql,) = compiled.rglob(f"{model}.sql")
        assert "touched_leads" in sql.read_text(), model


# ---------- as_of moving with the drops (the scoring chain, macros/handoff/lead_increment.sql)


def scoring_tables(
    warehouse: Path, models: tuple[str, ...] = SCORING_MODELS + SCORED_FROM_INCREMENTS
) -> dict:
    """Intermediate tables of the warehouse as dumps (values normalised)."""
    tables = {}
    with connect(warehouse, read_only=True) as connection:
        for model in models:
            result = connection.execute(f"select * from intermediate.{model}")
            columns = [column[0] for column in result.description]
            tables[model] = {
                "columns": columns,
                "rows": [[warehouse_io.normalise(v) for v in row] for row in result.fetchall()],
            }
    return tables


@pytest.fixture(scope="module")
def moving_as_of_build(drops: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drops loaded one after the other, each built (models only) as of its own end, the
    last as of FIXTURES_AS_OF: as_of moves on and rows arrive late and on time."""
    from handoff.cli import app

    root = tmp_path_factory.mktemp("moving_as_of_warehouse")
    runner = CliRunner()
    as_ofs = [cutoff.strftime("%Y-%m-%d %H:%M:%S") for cutoff in CUTOFFS] + [FIXTURES_AS_OF]
    with pytest.MonkeyPatch.context() as patch:
        use_warehouse(patch, root)
        for index, (drop, as_of) in enumerate(zip(drops, as_ofs, strict=True)):
            load_args = ["load", str(drop)] + (["--append"] if index else [])
            loaded = runner.invoke(app, load_args)
            assert loaded.exit_code == 0, loaded.output
            built = runner.invoke(
                app, ["build", "--as-of", as_of, "--exclude-resource-type", "test"]
            )
            assert built.exit_code == 0, built.output
    return root


def test_scoring_as_of_moves_on_like_a_full_build(
    moving_as_of_build: Path, fixture_build: FixtureBuild
) -> None:
    full = scoring_tables(fixture_build.warehouse)
    incremental = scoring_tables(moving_as_of_build / "handoff.duckdb")
    problems = [
        problem
        for name in full
        for problem in mart_differences(
            name, full[name], incremental[name], BUILD_STAMPS, reference="full"
        )
    ]
    assert not problems, "scoring as of a moving as_of differs:\n" + "\n".join(problems)
    assert full["int_lead_score_moments"]["rows"] and full["int_lead_scores_current"]["rows"]
    with connect(moving_as_of_build / "handoff.duckdb", read_only=True) as connection:
        builds = connection.execute(
            "select count(distinct built_as_of) from intermediate.int_lead_events_scored"
        ).fetchone()[0]
    assert builds > 1, "the last build rescored every lead: it was not incremental"


def test_sla_facts_as_of_moves_on_like_facts_computed_afresh(
    moving_as_of_build: Path, isolated: Isolated
) -> None:
    """The SLA facts kept and rebuilt over the moving as_of equal the facts computed from
    scratch on the same warehouse (its routing ledger records when each lead was routed, so
    a one-shot build of the fixtures is not the reference here)."""
    isolated.warehouse.parent.mkdir(parents=True)
    shutil.copyfile(moving_as_of_build / "handoff.duckdb", isolated.warehouse)
    incremental = scoring_tables(isolated.warehouse, (SLA_FACTS,))
    status = run_dbt_build(
        as_of=FIXTURES_AS_OF,
        select=[SLA_FACTS],
        dbt_args=["--full-refresh", "--exclude-resource-type", "test"],
        database=isolated.warehouse,
    )
    assert status == 0
    afresh = scoring_tables(isolated.warehouse, (SLA_FACTS,))
    problems = mart_differences(
        SLA_FACTS, afresh[SLA_FACTS], incremental[SLA_FACTS], BUILD_STAMPS, reference="afresh"
    )
    assert not problems, "incremental SLA facts differ:\n" + "\n".join(problems)
    assert afresh[SLA_FACTS]["rows"]
    with connect(moving_as_of_build / "handoff.duckdb", read_only=True) as connection:
        builds = connection.execute(
            f"select count(distinct built_as_of) from intermediate.{SLA_FACTS}"
        ).fetchone()[0]
    assert builds > 1, "the last build computed every lead's SLA facts again"
