"""Target-aware schema names: production targets use the layer schemas exactly, development
targets prefix them; Python (`handoff.schemas`) and dbt (`generate_schema_name`) agree."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from handoff import dbt_cli, schemas, settings
from handoff.schemas import Target, TargetError

LAYERS = ("staging", "intermediate", "marts", "rules", "ledger")
LEDGERS = ("int_assignments_routed", "int_assignments_escalated")


@pytest.fixture
def clean_target(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "HANDOFF_TARGET",
        "HANDOFF_PG_DEV_SCHEMA",
        "HANDOFF_SPARK_SCHEMA",
        "DBT_PROFILES_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_uses_the_layer_schema_and_development_prefixes_it():
    production = Target(name="duckdb", type="duckdb", schema="main", is_production=True)
    development = Target(name="dev", type="postgres", schema="dev_alice", is_production=False)

    assert [production.schema_for(layer) for layer in LAYERS] == list(LAYERS)
    assert development.schema_for("marts") == "dev_alice_marts"
    assert development.schema_for("ledger") == "dev_alice_ledger"


def test_the_shipped_targets(clean_target: pytest.MonkeyPatch):
    assert schemas.production_targets() == {"duckdb", "postgres", "spark"}

    assert schemas.active_target() == Target("duckdb", "duckdb", "main", is_production=True)
    assert schemas.relation(schemas.MARTS, "leads") == "marts.leads"
    assert schemas.uses_embedded_duckdb()

    clean_target.setenv("HANDOFF_TARGET", "postgres")
    assert schemas.relation(schemas.LEDGER, "int_assignments_routed") == (
        "ledger.int_assignments_routed"
    )
    assert not schemas.uses_embedded_duckdb()
    clean_target.setenv("HANDOFF_TARGET", "spark")
    assert schemas.active_target() == Target("spark", "spark", "default", is_production=True)

    clean_target.setenv("HANDOFF_TARGET", "postgres_dev")
    clean_target.setenv("USER", "bob")
    assert schemas.relation(schemas.MARTS, "leads") == "dev_bob_marts.leads"
    clean_target.setenv("HANDOFF_PG_DEV_SCHEMA", "dev_alice")
    assert schemas.active_target() == Target(
        "postgres_dev", "postgres", "dev_alice", is_production=False
    )


def test_an_undeclared_target_is_a_clear_error(clean_target: pytest.MonkeyPatch):
    clean_target.setenv("HANDOFF_TARGET", "prod")

    with pytest.raises(TargetError, match=r"HANDOFF_TARGET='prod' is not an output.*postgres_dev"):
        schemas.active_target()


def test_a_declared_dev_target_in_another_profiles_dir(
    clean_target: pytest.MonkeyPatch, tmp_path: Path
):
    (tmp_path / "profiles.yml").write_text(
        "handoff:\n"
        "  target: duckdb\n"
        "  outputs:\n"
        "    sandbox: {type: duckdb, path: x.duckdb, schema: \"{{ env_var('ME') }}\"}\n"
    )
    clean_target.setenv("DBT_PROFILES_DIR", str(tmp_path))
    clean_target.setenv("HANDOFF_TARGET", "sandbox")

    with pytest.raises(TargetError, match="ME is not set"):
        schemas.active_target()
    clean_target.setenv("ME", "carol")
    assert schemas.relation(schemas.STAGING, "stg_crm__leads") == "carol_staging.stg_crm__leads"
    assert schemas.uses_embedded_duckdb()


# --- the same rule in dbt ------------------------------------------------------------------------


def node_schemas(manifest: dict) -> dict[str, tuple[str, str]]:
    """Every model and seed with a custom schema: (custom schema, schema dbt assigned)."""
    return {
        node["name"]: (node["config"]["schema"], node["schema"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed") and node["config"].get("schema")
    }


def test_dbt_puts_every_layer_in_its_own_schema_on_production(manifest: dict):
    assigned = node_schemas(manifest)

    assert {custom for custom, _ in assigned.values()} == set(LAYERS)
    assert all(custom == schema for custom, schema in assigned.values())
    assert {name: assigned[name][1] for name in LEDGERS} == dict.fromkeys(LEDGERS, "ledger")


@pytest.mark.dbt
def test_dbt_prefixes_every_layer_on_a_development_target(
    clean_target: pytest.MonkeyPatch, tmp_path: Path
):
    """`dbt parse` on the shipped postgres_dev output (parsing connects to nothing)."""
    clean_target.setenv("HANDOFF_TARGET", "postgres_dev")
    clean_target.setenv("HANDOFF_PG_DEV_SCHEMA", "dev_alice")
    env = dbt_cli.environment(
        overrides={"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path)}
    )
    subprocess.run(
        dbt_cli.command(dbt_cli.parse_args()), cwd=settings.PROJECT_DIR, env=env, check=True
    )
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())

    assigned = node_schemas(manifest)
    assert {custom for custom, _ in assigned.values()} == set(LAYERS)
    target = schemas.active_target()
    for name, (custom, schema) in assigned.items():
        assert schema == target.schema_for(custom) == f"dev_alice_{custom}", name
