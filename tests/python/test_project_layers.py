"""The dbt project's layers, checked on its manifest: models read only the layer below them.

staging reads raw sources (and only staging does); intermediate models read staging, seeds and
other intermediate models, never a mart; a model longer than 250 lines says why in its first
lines ("long because ..."), as issue 10 asks. One `dbt parse` into a scratch target.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff import settings

MAX_MODEL_LINES = 250


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = tmp_path_factory.mktemp("layers") / "target"
    env = {
        **os.environ,
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target.parent / "logs"),
        "DBT_PROFILES_DIR": str(settings.PROFILES_DIR),
        "HANDOFF_DUCKDB_PATH": str(target.parent / "parse.duckdb"),
    }
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "parse", "--quiet"], cwd=settings.PROJECT_DIR, env=env, check=True)
    return json.loads((target / "manifest.json").read_text())


def _layer(node: dict) -> str:
    return node["original_file_path"].split("/")[1] if node["resource_type"] == "model" else ""


def _models(manifest: dict) -> dict[str, dict]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def test_no_intermediate_model_reads_a_mart(manifest: dict):
    models = _models(manifest)
    offenders = [
        f"{node['name']} reads {models[parent]['name']}"
        for node in models.values()
        if _layer(node) == "intermediate"
        for parent in node["depends_on"]["nodes"]
        if parent in models and _layer(models[parent]) == "marts"
    ]
    assert offenders == []


def test_only_staging_reads_raw_sources(manifest: dict):
    offenders = [
        node["name"]
        for node in _models(manifest).values()
        if _layer(node) != "staging"
        and any(parent.startswith("source.") for parent in node["depends_on"]["nodes"])
    ]
    assert offenders == []


def test_long_models_say_why(manifest: dict):
    offenders = []
    for node in _models(manifest).values():
        lines = node["raw_code"].splitlines()
        if len(lines) > MAX_MODEL_LINES and "long because" not in "\n".join(lines[:15]).lower():
            offenders.append(f"{node['original_file_path']} ({len(lines)} lines)")
    assert offenders == []


def test_the_layer_checks_can_fail():
    """The checks read real structure: a made-up intermediate model reading a mart is caught."""
    fake = {
        "nodes": {
            "model.p.int_x": {
                "resource_type": "model",
                "name": "int_x",
                "original_file_path": "models/intermediate/x/int_x.sql",
                "depends_on": {"nodes": ["model.p.leads", "source.p.raw.leads"]},
                "raw_code": "select 1\n" * 300,
            },
            "model.p.leads": {
                "resource_type": "model",
                "name": "leads",
                "original_file_path": "models/marts/q/leads.sql",
                "depends_on": {"nodes": []},
                "raw_code": "select 1",
            },
        }
    }
    for check in (
        test_no_intermediate_model_reads_a_mart,
        test_only_staging_reads_raw_sources,
        test_long_models_say_why,
    ):
        with pytest.raises(AssertionError):
            check(fake)
