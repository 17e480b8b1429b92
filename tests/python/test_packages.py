"""Two packages: the runtime (`handoff`) never imports the generator (`handoff_datagen`) until
asked to generate, and says clearly when the generator is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handoff.cli import app

IMPORT_EVERY_RUNTIME_MODULE = """
import importlib, pkgutil, sys
import handoff
for module in pkgutil.walk_packages(handoff.__path__, "handoff."):
    importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.partition(".")[0] == "handoff_datagen"))
print(len([name for name in sys.modules if name.startswith("handoff.")]))
"""


def test_importing_every_runtime_module_loads_no_generator_module(manifest: dict):
    # the session's manifest lets the Dagster definitions import too
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_RUNTIME_MODULE],
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    generator_modules, runtime_modules = result.stdout.split("\n")[:2]
    assert generator_modules == "[]"
    assert int(runtime_modules) >= 20  # the walk did import the whole runtime package


@pytest.mark.parametrize("verb", ["generate", "demo"])
def test_without_the_generator_generate_and_demo_say_so(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, verb: str
):
    monkeypatch.setitem(sys.modules, "handoff_datagen", None)  # as if it were not installed

    result = runner.invoke(app, [verb, "--out", str(tmp_path / "out")])

    assert result.exit_code == 1
    assert "the data generator is not available" in result.stderr
    assert "handoff_datagen" in result.stderr
    assert "Traceback" not in result.output
