"""How the sales team did, for `handoff demo`: compliance against the bands, teams below band,
the violation ladder, escalations and — impossible to miss — the handed-off leads nobody owns.

Reporting only: every number comes from a mart (`lead_sla`, `compliance_drops`,
`rep_violation_ladder`, `lead_assignments`, `escalation_responses`, `routing_backlog`) or the
seed `compliance_targets`; a band comparison is the one `sla_compliance` makes (bounds
included). Each section opens the warehouse read-only, queries and closes; a section whose
marts are not built yet says so in one line.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from handoff import schemas, summary
from handoff.warehouse import connect, relation_exists

STATUS_STYLE = {"below": "bold red", "within": "green", "above": "yellow", "no band": "dim"}
TOP_REPS = 5
UNASSIGNED_SHOWN = 12
# rate, band and status of `met` out of `decided` against compliance_targets (sla_compliance's
# comparison: bounds included)
_BANDED = """
    {met} as leads_met,
    {decided} as leads_decided,
    {met} / nullif({decided}, 0) as compliance_rate,
    targets.target_min,
    targets.target_max,
    case
        when {decided} = 0 then null
        when targets.target_min is null and targets.target_max is null then 'no band'
        when {met} / {decided} < targets.target_min then 'below'
        when {met} / {decided} > targets.target_max then 'above'
        else 'within'
    end as band_status
"""
_MET = "cast(count(*) filter (where sla.sla_status = 'met') as double)"
_DECIDED = "count(*) filter (where sla.sla_status in ('met', 'breached'))"


def print_team(console: Console, database: Path) -> None:
    """Every section below, each guarded (a failing query is one line, not a crash)."""
    for what, section in (
        ("compliance", print_compliance),
        ("teams", print_teams),
        ("ladder", print_ladder),
        ("escalations", print_escalations),
        ("unassigned leads", print_unassigned),
    ):
        summary.guarded(console, what, lambda section=section: section(console, database))


def _rows(database: Path, sql: str, **relations: str) -> list[tuple] | None:
    """Rows of `sql` whose `{name}` placeholders name marts (or `rules.<seed>` for names
    starting with `rules_`); None when one of them is not built yet."""
    names = {}
    with connect(database, read_only=True) as connection:
        for key, name in relations.items():
            layer = schemas.RULES if key.startswith("rules_") else schemas.MARTS
            if not relation_exists(connection, schemas.active_target().schema_for(layer), name):
                return None
            names[key] = schemas.relation(layer, name)
        return connection.execute(sql.format(**names)).fetchall()


def _not_built(console: Console, what: str) -> None:
    console.print(f"{what}: not built yet.")


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _band(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "-"
    lower = "" if low is None else _percent(low)
    upper = "" if high is None else _percent(high)
    return f"{lower} to {upper}"


def _styled(text: str, status: str | None) -> str:
    style = STATUS_STYLE.get(status or "")
    return f"[{style}]{text}[/]" if style else text


def print_compliance(console: Console, database: Path) -> None:
    rows = _rows(
        database,
        f"""
        select sla.priority_tier, {_BANDED.format(met=_MET, decided=_DECIDED)}
        from {{lead_sla}} as sla
        left join {{rules_targets}} as targets on sla.priority_tier = targets.priority_tier
        group by sla.priority_tier, targets.target_min, targets.target_max
        order by sla.priority_tier
        """,
        lead_sla="lead_sla",
        rules_targets="compliance_targets",
    )
    if rows is None:
        return _not_built(console, "SLA compliance")
    console.print("[bold]SLA compliance against the band[/] (every lead decided so far)")
    table = Table()
    for column in ("tier", "met", "decided", "rate", "band", "status"):
        table.add_column(column, justify="left" if column in ("tier", "status") else "right")
    for tier, met, decided, rate, low, high, status in rows:
        table.add_row(
            f"tier {tier}",
            f"{int(met):,}",
            f"{decided:,}",
            _styled(_percent(rate), status),
            _band(low, high),
            _styled(status or "-", status),
        )
    console.print(table)


def print_teams(console: Console, database: Path) -> None:
    rows = _rows(
        database,
        f"""
        select sla.team, sla.priority_tier, {_BANDED.format(met=_MET, decided=_DECIDED)}
        from {{lead_sla}} as sla
        left join {{rules_targets}} as targets on sla.priority_tier = targets.priority_tier
        group by sla.team, sla.priority_tier, targets.target_min, targets.target_max
        order by sla.team, sla.priority_tier
        """,
        lead_sla="lead_sla",
        rules_targets="compliance_targets",
    )
    drops = _rows(
        database,
        """
        select team, priority_tier, min(period_start_date), max(periods_below_in_a_row)
        from {drops}
        group by team, priority_tier
        order by team, priority_tier
        """,
        drops="compliance_drops",
    )
    if rows is None or drops is None:
        return _not_built(console, "Compliance by team")
    tiers = sorted({row[1] for row in rows})
    cells = {(row[0], row[1]): row for row in rows}
    dropped: dict[str, list[str]] = {}
    for team, tier, since, weeks in drops:
        dropped.setdefault(team, []).append(f"tier {tier}: {weeks} in a row from {since}")
    console.print("[bold]Compliance by team[/] (rate and decided leads; red: below the band)")
    table = Table()
    table.add_column("team")
    for tier in tiers:
        table.add_column(f"tier {tier}", justify="right")
    table.add_column("sustained drop (compliance_drops)")
    for team in sorted({row[0] for row in rows}):
        values = []
        for tier in tiers:
            row = cells.get((team, tier))
            values.append(
                "" if row is None else _styled(f"{_percent(row[4])} ({row[3]:,})", row[7])
            )
        table.add_row(
            team,
            *values,
            _styled("; ".join(dropped.get(team, [])) or "-", "below" if team in dropped else None),
        )
    console.print(table)
    below = sorted(dropped)
    console.print(
        "Teams below band for two complete weeks or more: "
        + (_styled(", ".join(below), "below") if below else "[green]none[/]")
    )


def print_ladder(console: Console, database: Path) -> None:
    levels = _rows(
        database,
        "select ladder_level, level_rank, count(*) from {ladder} group by all order by level_rank",
        ladder="rep_violation_ladder",
    )
    top = _rows(
        database,
        f"""
        select rep_id, team, ladder_level, level_window_breach_count, level_window_days,
            total_breach_count
        from {{ladder}}
        where level_rank > 0
        order by level_rank desc, level_window_breach_count desc, total_breach_count desc, rep_id
        limit {TOP_REPS}
        """,
        ladder="rep_violation_ladder",
    )
    if levels is None or top is None:
        return _not_built(console, "Violation ladder")
    counts = ", ".join(f"{level} {count}" for level, _, count in levels)
    console.print(f"[bold]Violation ladder[/] (reps per level: {counts})")
    if not top:
        console.print("  no rep has a breach in any window")
        return
    table = Table()
    for column in ("rep", "team", "level", "breaches in window", "all breaches"):
        table.add_column(column, justify="right" if "breaches" in column else "left")
    for rep, team, level, in_window, window_days, total in top:
        table.add_row(rep, team, level, f"{in_window} in {window_days} days", f"{total}")
    console.print(table)


def print_escalations(console: Console, database: Path) -> None:
    rows = _rows(
        database,
        """
        select
            (select count(*) from {lead_sla} where is_routed),
            count(distinct lead_id) filter (where assignment_type = 'escalation_backup'),
            count(distinct lead_id) filter (where assignment_type = 'escalation_manager'),
            count(distinct lead_id)
                filter (where assignment_type in ('escalation_backup', 'escalation_manager'))
        from {assignments}
        """,
        lead_sla="lead_sla",
        assignments="lead_assignments",
    )
    responses = _rows(
        database,
        "select response_status, count(*) from {responses} group by all order by all",
        responses="escalation_responses",
    )
    if rows is None or responses is None:
        return _not_built(console, "Escalations")
    routed, backup, manager, escalated = rows[0]
    share = f" ({escalated / routed:.0%})" if routed else ""
    answered = ", ".join(f"{status} {count:,}" for status, count in responses) or "none"
    console.print(
        f"[bold]Escalations:[/] {escalated:,} of {routed:,} routed leads{share} were not "
        f"acknowledged in time: {backup:,} went to a backup, {manager:,} to a manager. "
        f"Receivers' responses: {answered}."
    )


def print_unassigned(console: Console, database: Path) -> None:
    rows = _rows(
        database,
        """
        select
            sla.lead_id,
            sla.priority_tier,
            sla.handoff_at,
            date_diff('minute', sla.handoff_at, sla.sla_as_of_at) / 60.0 as age_hours,
            sla.sla_status,
            coalesce(backlog.backlog_reason, '-') as reason
        from {lead_sla} as sla
        left join {backlog} as backlog on sla.lead_id = backlog.lead_id
        where not sla.is_routed
        order by sla.priority_tier, sla.handoff_at
        """,
        lead_sla="lead_sla",
        backlog="routing_backlog",
    )
    overflow = _rows(
        database,
        "select count(*) from {assignments} where assignment_type = 'overflow'",
        assignments="lead_assignments",
    )
    if rows is None or overflow is None:
        return _not_built(console, "Unassigned leads")
    overflowed = overflow[0][0]
    if not rows:
        console.print(
            f"[green]Every handed-off lead has an owner[/] ({overflowed:,} went to overflow)."
        )
        return
    tier1 = sum(1 for row in rows if row[1] == 1)
    table = Table(expand=False)
    for column in ("lead", "tier", "handed off (UTC)", "unowned for", "SLA", "why"):
        table.add_column(column, justify="right" if column == "unowned for" else "left")
    for lead, tier, handoff_at, age, status, reason in rows[:UNASSIGNED_SHOWN]:
        style = "bold red" if tier == 1 else None
        table.add_row(
            lead,
            f"{tier}",
            f"{handoff_at:%Y-%m-%d %H:%M}",
            f"{age:,.1f} h",
            status,
            reason,
            style=style,
        )
    more = len(rows) - UNASSIGNED_SHOWN
    title = (
        f"{len(rows):,} handed-off lead(s) have NO OWNER"
        + (f", {tier1} of them Tier 1" if tier1 else "")
        + f" ({overflowed:,} others went to overflow)"
    )
    footer = f"... and {more:,} more (marts.lead_sla where not is_routed)" if more > 0 else ""
    console.print(
        Panel(
            Group(table, footer) if footer else table,
            title=f"[bold red]{title}",
            border_style="bold red",
            subtitle="unassigned_lead alerts went to operations; see routing_backlog",
        )
    )
