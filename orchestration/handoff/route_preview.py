"""`handoff route-preview`: what a candidate routing-rules file would change, before it ships.

The preview never touches the warehouse's ledger. It copies the warehouse, routes every lead
from scratch twice in the copy with the same dbt models the pipeline runs (once with today's
rules, once with the candidate), and compares the two for the leads handed off in the last N
days. Both sides are computed the same way, so every difference comes from the rules.

The ledger is protected from `--full-refresh` (`full_refresh: false`), so routing from scratch
drops the copy's ledger table first; the next run of the incremental model builds it anew.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from handoff import dbt_cli, schemas, settings
from handoff.as_of import AS_OF_FORMAT
from handoff.build import check_warehouse, run_dbt
from handoff.spreadsheet import write_csv
from handoff.warehouse import HandoffError, connect, quote_literal

LEDGER_MODEL = "int_assignments_routed"
ROUTING_MODELS = (
    "int_routing_teams_staffed",
    "int_lead_routing_rules_matched",
    LEDGER_MODEL,
)
RULES_SEED = settings.PROJECT_DIR / "seeds" / "rules" / "routing_rules.csv"


class RoutePreviewError(HandoffError):
    """The candidate rules or the preview run failed."""


@dataclass(frozen=True)
class RoutePreview:
    leads: int
    moved_team: int
    moved_rep: int
    team_volumes: list[tuple[str, int, int]]
    rep_volumes: list[tuple[str, str, int, int]]
    diff_file: Path


def check_rules_header(rules_file: Path) -> None:
    """The candidate file has exactly the shipped seed's columns (in any order)."""
    if not rules_file.is_file():
        raise RoutePreviewError(f"rules file {rules_file} does not exist")
    expected = _header(RULES_SEED)
    found = _header(rules_file)
    unknown = [column for column in found if column not in expected]
    missing = [column for column in expected if column not in found]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        raise RoutePreviewError(
            f"{rules_file}: {'; '.join(problems)} (expected: {', '.join(expected)})"
        )


def _ledger() -> str:
    return schemas.relation(schemas.LEDGER, LEDGER_MODEL)


def _header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return [column.strip() for column in next(csv.reader(handle), [])]


def preview_routes(
    rules_file: Path, days: int, as_of: str, database: Path, work_dir: Path
) -> RoutePreview:
    """Route from scratch in a copy with today's rules and with the candidate; compare."""
    check_rules_header(rules_file)
    check_warehouse(database)
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    copy = work_dir / "preview.duckdb"
    shutil.copyfile(database, copy)
    dbt_env = {"DBT_TARGET_PATH": str(work_dir / "target"), "DBT_LOG_PATH": str(work_dir / "logs")}
    since = (datetime.strptime(as_of, AS_OF_FORMAT) - timedelta(days=days)).strftime(AS_OF_FORMAT)

    _route_from_scratch(copy, as_of, dbt_env)
    with connect(copy) as connection:
        connection.execute(
            f"create or replace table main.preview_baseline as select * from {_ledger()}"
        )
        _load_candidate_rules(connection, rules_file)
    _check_candidate_rules(copy, as_of, dbt_env)
    _route_from_scratch(copy, as_of, dbt_env)
    with connect(copy) as connection:
        return _compare(connection, since, work_dir / "route_preview_diff.csv")


def _route_from_scratch(copy: Path, as_of: str, dbt_env: dict[str, str]) -> None:
    with connect(copy) as connection:
        connection.execute(f"drop table if exists {_ledger()}")
    if run_dbt(dbt_cli.run_args(ROUTING_MODELS, as_of), copy, dbt_env) != 0:
        raise RoutePreviewError("routing the leads in the preview copy failed (dbt output above)")


def _load_candidate_rules(connection, rules_file: Path) -> None:
    """Replace the rules table in the copy; DuckDB casts each cell to the seed's type."""
    rules_table = schemas.relation(schemas.RULES, "routing_rules")
    try:
        connection.execute(f"delete from {rules_table}")
        connection.execute(
            f"insert into {rules_table} by name select * from read_csv("
            f"{quote_literal(str(rules_file))}, header = true, all_varchar = true)"
        )
    except Exception as error:  # a conversion error names the value that does not fit
        raise RoutePreviewError(
            f"{rules_file}: a value does not fit its column: {error}"
        ) from error


def _check_candidate_rules(copy: Path, as_of: str, dbt_env: dict[str, str]) -> None:
    """The rule-hygiene tests the build runs on the seed, run on the candidate.

    Tests of the models routing feeds are left out: they still hold the real ledger's rule ids.
    """
    args = dbt_cli.dbt_test_args(
        ["routing_rules"], as_of, exclude=["int_lead_routing_rules_matched+"]
    )
    if run_dbt(args, copy, dbt_env) != 0:
        raise RoutePreviewError(
            "the candidate rules fail the routing-rule tests (failing rows named above); "
            "nothing was previewed"
        )


def _compare(connection, since: str, diff_file: Path) -> RoutePreview:
    connection.execute(
        f"""
        create or replace temp table preview_diff as
        select
            leads.lead_id,
            leads.handoff_at,
            before.team as before_team,
            before.rep_id as before_rep_id,
            before.routing_rule_id as before_rule_id,
            after.team as after_team,
            after.rep_id as after_rep_id,
            after.routing_rule_id as after_rule_id
        from {schemas.relation(schemas.MARTS, "leads")} as leads
        left join main.preview_baseline as before on leads.lead_id = before.lead_id
        left join {_ledger()} as after on leads.lead_id = after.lead_id
        where leads.handoff_at >= cast({quote_literal(since)} as timestamp)
            and (before.lead_id is not null or after.lead_id is not null)
        """
    )
    leads, moved_team, moved_rep = connection.execute(
        """
        select
            count(*),
            count(*) filter (where before_team is distinct from after_team),
            count(*) filter (where before_rep_id is distinct from after_rep_id)
        from preview_diff
        """
    ).fetchone()
    team_volumes = connection.execute(
        """
        select team, count(*) filter (where side = 'before'), count(*) filter (where side = 'after')
        from (
            select before_team as team, 'before' as side from preview_diff
            where before_team is not null
            union all
            select after_team, 'after' from preview_diff where after_team is not null
        )
        group by team order by team
        """
    ).fetchall()
    rep_volumes = connection.execute(
        """
        select team, rep_id,
            count(*) filter (where side = 'before'), count(*) filter (where side = 'after')
        from (
            select before_team as team, before_rep_id as rep_id, 'before' as side
            from preview_diff where before_rep_id is not null
            union all
            select after_team, after_rep_id, 'after' from preview_diff
            where after_rep_id is not null
        )
        group by team, rep_id order by team, rep_id
        """
    ).fetchall()
    moved = connection.execute(
        "select * from preview_diff where before_rep_id is distinct from after_rep_id "
        "order by handoff_at, lead_id"
    )
    write_csv(moved, diff_file)  # formula-safe: the diff is opened in spreadsheets
    return RoutePreview(leads, moved_team, moved_rep, team_volumes, rep_volumes, diff_file)
