"""The monthly executive report: `handoff report` on the fixture warehouse, opened in headless
Chromium (the Debian package, installed here when missing), and the Dagster asset that writes it.

The fixture warehouse is built once per session (conftest.fixture_warehouse, as_of 2026-03-20):
its latest complete month is February 2026.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from handoff.cli import app

CHARTS = (
    "chart-compliance",
    "chart-conversion",
    "chart-first-touch",
    "chart-ladder",
    "chart-feedback",
    "chart-attribution",
    "chart-calibration",
)
TABLES = (
    "table-compliance",
    "table-speed-ratio",
    "table-first-touch",
    "table-ladder",
    "table-feedback",
    "table-campaigns",
    "table-calibration",
    "table-rejections",
)
FIXTURE_MONTH = "2026-02"


@pytest.fixture(scope="module")
def report_html(fixture_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`handoff report --month 2026-02` on the fixture warehouse (read-only)."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOFF_DUCKDB_PATH", str(fixture_warehouse))
        patch.delenv("HANDOFF_TARGET", raising=False)
        result = CliRunner().invoke(app, ["report", "--month", FIXTURE_MONTH, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "February 2026" in result.output
    return out


class _Page(HTMLParser):
    """Ids of figures holding an <svg>, of tables with body rows, and every src/href."""

    def __init__(self) -> None:
        super().__init__()
        self.figures_with_svg: set[str] = set()
        self.table_rows: dict[str, int] = {}
        self.links: list[str] = []
        self.scripts = 0
        self._figure: str | None = None
        self._table: str | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.links += [value for name, value in attrs if name in ("src", "href") and value]
        if tag == "script":
            self.scripts += 1
        elif tag == "figure":
            self._figure = attributes.get("id")
        elif tag == "svg" and self._figure:
            self.figures_with_svg.add(self._figure)
        elif tag == "table":
            self._table = attributes.get("id")
            self.table_rows[self._table or ""] = 0
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table and self._in_body:
            self.table_rows[self._table] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = None
        elif tag == "table":
            self._table = None
        elif tag == "tbody":
            self._in_body = False


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_report_is_one_self_contained_page_with_every_chart_and_table(report_html: Path):
    html = report_html.read_text(encoding="utf-8")
    page = parse(html)
    assert set(CHARTS) <= page.figures_with_svg
    assert all(page.table_rows.get(table, 0) > 0 for table in TABLES), page.table_rows
    # nothing to fetch: no script, no link to another file or host
    assert page.scripts == 0
    assert not [link for link in page.links if not link.startswith("#")]
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html)
    assert "Lead handoff: February 2026" in html


def test_report_numbers_are_the_marts(report_html: Path, fixture_warehouse: Path):
    with duckdb.connect(str(fixture_warehouse), read_only=True) as connection:
        handed_off, rejections, tier1_due = connection.execute(
            "select leads_handed_off, rejections, tier1_leads_due from marts.executive_monthly "
            "where month_start_date = date '2026-02-01'"
        ).fetchall()[0]
        verdicts = connection.execute("select count(*) from marts.score_calibration").fetchall()
    html = report_html.read_text(encoding="utf-8")
    tile = re.search(r"Leads handed off</div><div class=\"value\">([\d,]+)<", html)
    assert tile and int(tile.group(1).replace(",", "")) == handed_off
    assert f"In February 2026 {handed_off} leads were handed off" in html
    assert f"Sales rejected {rejections} leads" in html
    assert re.search(rf"<td>Tier 1</td><td>{tier1_due}</td>", html)
    assert parse(html).table_rows["table-calibration"] == verdicts[0][0]


def test_report_picks_the_latest_complete_month_and_explains_bad_months(
    copy_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
):
    monkeypatch.setenv("HANDOFF_REPORT_DIR", str(tmp_path / "reports"))
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "handoff-report-2026-02.html").is_file()

    missing = runner.invoke(app, ["report", "--month", "2025-01"])
    assert missing.exit_code == 1
    assert "no data for 2025-01" in missing.output and "2026-01, 2026-02, 2026-03" in missing.output

    malformed = runner.invoke(app, ["report", "--month", "March"])
    assert malformed.exit_code == 1 and "use YYYY-MM" in malformed.output


def test_report_refuses_a_warehouse_without_the_marts(isolated, tmp_path: Path, runner: CliRunner):
    isolated.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(isolated.warehouse)) as connection:
        connection.execute("create schema marts")
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "not built" in result.output and "executive_monthly" in result.output


# --- the page in a browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable, installed from Debian's package when missing (as root)."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail("Chromium is missing: install the Debian package `chromium` (apt-get)")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("chromium") or pytest.fail("apt-get installed no `chromium`")


def open_in_chromium(executable: str, page_url: str, screenshot: Path) -> dict:
    """Load a page headless; console errors, requests, what the DOM holds, a screenshot."""
    from playwright.sync_api import sync_playwright

    seen: dict = {"console_errors": [], "page_errors": [], "requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 950})
            page.on(
                "console",
                lambda message: (
                    message.type == "error" and seen["console_errors"].append(message.text)
                ),
            )
            page.on("pageerror", lambda error: seen["page_errors"].append(str(error)))
            page.on("request", lambda request: seen["requests"].append(request.url))
            page.goto(page_url, wait_until="load")
            seen["dom"] = page.evaluate(
                """() => ({
                    charts: [...document.querySelectorAll('figure.chart')]
                        .filter(f => f.querySelector('svg')?.getBoundingClientRect().width > 0)
                        .map(f => f.id),
                    tables: [...document.querySelectorAll('table')]
                        .filter(t => t.tBodies[0] && t.tBodies[0].rows.length > 0)
                        .map(t => t.id),
                    summary: document.querySelectorAll('#summary li').length,
                })"""
            )
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return seen


def test_report_opens_in_headless_chromium_without_errors(
    report_html: Path, chromium: str, tmp_path: Path
):
    screenshot = tmp_path / "report.png"
    seen = open_in_chromium(chromium, report_html.as_uri(), screenshot)
    assert seen["console_errors"] == [] and seen["page_errors"] == []
    assert seen["requests"] == [report_html.as_uri()]  # the page fetched nothing else
    assert set(CHARTS) <= set(seen["dom"]["charts"])
    assert set(TABLES) <= set(seen["dom"]["tables"])
    assert seen["dom"]["summary"] >= 5
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 50_000


def test_the_browser_check_catches_errors_and_requests(chromium: str, tmp_path: Path):
    """The check above can fail: a broken page is caught."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<html><body><img src="https://example.invalid/x.png">'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>"
    )
    seen = open_in_chromium(chromium, broken.as_uri(), tmp_path / "broken.png")
    assert "boom" in seen["console_errors"]
    assert seen["page_errors"] and "undefinedFunction" in seen["page_errors"][0]
    assert "https://example.invalid/x.png" in seen["requests"]


# --- Dagster ---------------------------------------------------------------------------------


@pytest.fixture
def report_defs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """handoff.defs.report, with a dbt manifest to import against (the definitions read it)."""
    import sys

    if "handoff.dbt_project" not in sys.modules:
        monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    from handoff.dbt_project import handoff_dbt_project, prepare_manifest

    if not handoff_dbt_project.manifest_path.exists():
        prepare_manifest(handoff_dbt_project)
    from handoff.defs import report

    return report


def test_monthly_schedule_asks_for_the_month_just_ended(report_defs):
    from dagster import build_schedule_context

    for tick, month in (
        (datetime(2026, 3, 1, 6, tzinfo=UTC), "2026-02"),
        (datetime(2026, 1, 1, 6, tzinfo=UTC), "2025-12"),
    ):
        context = build_schedule_context(scheduled_execution_time=tick)
        request = report_defs.monthly_report_schedule(context)
        assert request.run_key == f"month={month}"
        ops = request.run_config["ops"][report_defs.REPORT_OP_NAME]
        assert ops["config"]["month"] == month


def test_monthly_report_asset_writes_the_report(
    report_defs, copy_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from dagster import DagsterInstance, RunConfig, materialize

    monkeypatch.setenv("HANDOFF_REPORT_DIR", str(tmp_path / "reports"))
    result = materialize(
        [report_defs.monthly_handoff_report],
        run_config=RunConfig(
            ops={report_defs.REPORT_OP_NAME: report_defs.MonthlyReportConfig(month="2026-01")}
        ),
        instance=DagsterInstance.ephemeral(),
    )
    assert result.success
    written = tmp_path / "reports" / "handoff-report-2026-01.html"
    assert "Lead handoff: January 2026" in written.read_text(encoding="utf-8")
    (materialization,) = result.asset_materializations_for_node(report_defs.REPORT_OP_NAME)
    assert materialization.metadata["month"].value == "2026-01"


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        ("pct", 0.784, "78 %"),
        ("pct", None, "\u2014"),
        ("points", -0.04, "-4 pts"),
        ("usd", 1_234_567, "$1.2M"),
        ("usd", 45_300, "$45k"),
        ("usd", 800, "$800"),
        ("minutes", 12, "12 min"),
        ("minutes", 1440, "24 h"),
        ("minutes", 4320, "3 days"),
        ("model_name", "w_shaped", "W-shaped"),
        ("model_name", "time_decay", "Time decay"),
    ],
)
def test_report_formatting(formatter: str, value, expected: str):
    from handoff.report import formatting

    assert getattr(formatting, formatter)(value) == expected
