"""The dbt project's layers, checked on its manifest: models read only the layer below them.

staging reads raw sources (and only staging does): a base_ model keeps every raw row with its
quarantine reason, the stg_ model over it the clean rows; every model past staging reads stg_
models, never a base_ one, except those tagged `reads_quarantined_rows` (the quarantine listing
and the data-quality measure); every base_ model is in the quarantine listing; intermediate
models read staging, seeds and other intermediate models, never a mart; a model longer than 250
lines says why in its first lines ("long because ..."), as issue 10 asks. On the session's
manifest (conftest.manifest).
"""

from __future__ import annotations

import pytest

MAX_MODEL_LINES = 250


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


def test_models_past_staging_read_clean_rows(manifest: dict):
    models = _models(manifest)
    offenders = [
        f"{node['name']} reads {models[parent]['name']}"
        for node in models.values()
        if _layer(node) != "staging" and "reads_quarantined_rows" not in node["tags"]
        for parent in node["depends_on"]["nodes"]
        if parent in models and models[parent]["name"].startswith("base_")
    ]
    assert offenders == []


def test_every_base_model_is_listed_in_quarantine(manifest: dict):
    models = _models(manifest)
    listing = next(node for node in models.values() if node["name"] == "quarantined_records")
    listed = {
        models[parent]["name"] for parent in listing["depends_on"]["nodes"] if parent in models
    }
    base = {node["name"] for node in models.values() if node["name"].startswith("base_")}
    tagged = {node["name"] for node in models.values() if "quarantine" in node["tags"]}
    assert base - listed == set()
    assert base == tagged


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
                "tags": [],
                "original_file_path": "models/intermediate/x/int_x.sql",
                "depends_on": {"nodes": ["model.p.leads", "source.p.raw.leads"]},
                "raw_code": "select 1\n" * 300,
            },
            "model.p.leads": {
                "resource_type": "model",
                "name": "leads",
                "tags": [],
                "original_file_path": "models/marts/q/leads.sql",
                "depends_on": {"nodes": []},
                "raw_code": "select 1",
            },
        }
    }
    fake["nodes"]["model.p.stg_x"] = {
        "resource_type": "model",
        "name": "stg_x",
        "tags": [],
        "original_file_path": "models/staging/x/stg_x.sql",
        "depends_on": {"nodes": []},
        "raw_code": "select 1",
    }
    fake["nodes"]["model.p.base_x"] = {**fake["nodes"]["model.p.stg_x"], "name": "base_x"}
    fake["nodes"]["model.p.quarantined_records"] = {
        **fake["nodes"]["model.p.leads"],
        "name": "quarantined_records",
    }
    fake["nodes"]["model.p.int_x"]["depends_on"]["nodes"].append("model.p.base_x")
    for check in (
        test_no_intermediate_model_reads_a_mart,
        test_only_staging_reads_raw_sources,
        test_models_past_staging_read_clean_rows,
        test_every_base_model_is_listed_in_quarantine,
        test_long_models_say_why,
    ):
        with pytest.raises(AssertionError):
            check(fake)
