"""One table of `as_of` inputs, checked against every reader: the parser, `handoff build --as-of`,
the Dagster run config, and the `as_of()` macro's own pattern (read from macros/as_of.sql).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest
from typer.testing import CliRunner

from handoff import build, settings
from handoff.as_of import AsOfError, format_as_of, now_as_of, parse_as_of
from handoff.cli import app

# input -> what dbt receives (UTC, to the second)
ACCEPTED = {
    "2026-03-20 12:00:00": "2026-03-20 12:00:00",
    "2026-03-20T12:00:00": "2026-03-20 12:00:00",
    "2026-03-20 12:00": "2026-03-20 12:00:00",
    "2026-03-20T12:00": "2026-03-20 12:00:00",
    "2026-03-20": "2026-03-20 00:00:00",
    "  2026-03-20 12:00:00 ": "2026-03-20 12:00:00",
    "2024-02-29 23:59:59": "2024-02-29 23:59:59",
    "2026-03-20 12:00:00.987": "2026-03-20 12:00:00",
    "2026-03-20T12:00:00Z": "2026-03-20 12:00:00",
    "2026-03-20T13:30:15+01:00": "2026-03-20 12:30:15",
    "2026-03-20 07:00-0500": "2026-03-20 12:00:00",
    "2026-03-20T00:30:00+01:00": "2026-03-19 23:30:00",
}
REJECTED = [
    "",
    "garbage",
    "now",  # a command-line word only (see test_cli_takes_now), never in run config
    "20260320",
    "2026-3-20",
    "20 March 2026",
    "2026-13-01",
    "2026-02-30 10:00",
    "2026-03-20 24:00",
    "2026-03-20 12",
    "2026-03-20Z",
    "2026-03-20 12:00:00 UTC",
    "2026-03-20T12:00+25:00",
    "2026-03-20T12:00+01:75",
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED.items())
def test_parser_accepts(text: str, expected: str):
    assert parse_as_of(text) == expected


@pytest.mark.parametrize("text", REJECTED)
def test_parser_rejects_with_the_accepted_forms(text: str):
    with pytest.raises(AsOfError, match=r"is not a timestamp.*YYYY-MM-DD HH:MM:SS"):
        parse_as_of(text)


def test_yaml_dates_and_datetimes_are_read_as_utc():
    assert parse_as_of(date(2026, 3, 20)) == "2026-03-20 00:00:00"
    assert parse_as_of(datetime(2026, 3, 20, 12, 0, 5, 999)) == "2026-03-20 12:00:05"
    berlin = datetime(2026, 7, 1, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert parse_as_of(berlin) == format_as_of(berlin) == "2026-07-01 05:00:00"


# --- the same table through `handoff build --as-of` ------------------------------------------


@pytest.fixture
def dbt_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """`handoff build` records the dbt arguments instead of running dbt (exit 3: no summary)."""
    calls: list[list[str]] = []

    def record(args: list[str], database=None, extra_env=None) -> int:
        calls.append(args)
        return 3

    monkeypatch.setattr(build, "run_dbt", record)
    return calls


def as_of_var(args: list[str]) -> str:
    return json.loads(args[args.index("--vars") + 1])["as_of"]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED.items())
def test_cli_accepts(runner: CliRunner, dbt_calls: list, text: str, expected: str):
    result = runner.invoke(app, ["build", "--as-of", text])

    assert result.exit_code == 3, result.output
    [args] = dbt_calls
    assert as_of_var(args) == expected


@pytest.mark.parametrize("text", [text for text in REJECTED if text != "now"])
def test_cli_rejects_before_running_dbt(runner: CliRunner, dbt_calls: list, text: str):
    result = runner.invoke(app, ["build", "--as-of", text])

    assert result.exit_code == 1
    assert "is not a timestamp" in result.stderr and "YYYY-MM-DD HH:MM:SS" in result.stderr
    assert "Traceback" not in result.output
    assert dbt_calls == []


def test_cli_takes_now(runner: CliRunner, dbt_calls: list):
    before = now_as_of()
    result = runner.invoke(app, ["build", "--as-of", " NOW "])

    assert result.exit_code == 3, result.output
    assert before <= as_of_var(dbt_calls[0]) <= now_as_of()


# --- the same table through the Dagster run config ----------------------------------------------


@pytest.fixture
def config_class(defs) -> type:
    """The dbt asset's run config (its module needs the session's manifest to import)."""
    from handoff.defs.dbt import DbtBuildConfig

    return DbtBuildConfig


@pytest.mark.parametrize(("text", "expected"), ACCEPTED.items())
def test_dagster_config_accepts(config_class: type, text: str, expected: str):
    assert config_class(as_of=text).as_of == expected


@pytest.mark.parametrize("text", [text for text in REJECTED if text])
def test_dagster_config_rejects(config_class: type, text: str):
    with pytest.raises(ValueError, match="is not a timestamp"):
        config_class(as_of=text)


def test_dagster_config_unset_or_empty_means_the_start_of_the_dbt_run(config_class: type):
    assert config_class().as_of is None
    assert config_class(as_of="").as_of is None


# --- consistent with the macro -----------------------------------------------------------------


def macro_pattern() -> re.Pattern:
    """The pattern `as_of()` checks var as_of against (a Python regex: dbt's modules.re)."""
    source = (settings.PROJECT_DIR / "macros" / "as_of.sql").read_text()
    found = re.search(r"modules\.re\.match\('([^']+)'", source)
    assert found, "macros/as_of.sql no longer checks as_of with modules.re.match: update this test"
    return re.compile(found.group(1))


def macro_reading(text: str) -> str | None:
    """What the macro makes of `text`: None if it refuses it, else DuckDB's cast (as its SQL)."""
    if not macro_pattern().match(text):
        return None
    with duckdb.connect() as connection:
        try:
            [(moment,)] = connection.execute(
                "select cast(? as timestamp)", [text.replace("T", " ")]
            ).fetchall()
        except duckdb.ConversionException:
            return None
    return format_as_of(moment)


def test_what_dbt_receives_is_what_the_macro_reads_as_written():
    for canonical in {*ACCEPTED.values(), now_as_of()}:
        assert macro_reading(canonical) == canonical


@pytest.mark.parametrize("text", [*ACCEPTED, *REJECTED])
def test_the_parser_never_reads_an_instant_other_than_the_macro(text: str):
    """Where the macro reads a form, the parser reads the same UTC instant, or refuses it (only
    '24:00', which DuckDB reads as the next midnight). Its extras (offsets, `Z`, fractions of a
    second) are forms the macro refuses; the parser converts them before dbt sees them."""
    reading = macro_reading(text)
    if text in ACCEPTED:
        assert reading in (None, parse_as_of(text))
        if reading is None:
            assert re.search(r"(Z|[+-]\d{2}:?\d{2}|\.\d+)$", text.strip()) or text != text.strip()
    else:
        assert reading is None or "24:00" in text
