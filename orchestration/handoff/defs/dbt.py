"""The dbt project as Dagster assets: every model, seed and snapshot, tests as asset checks.

How a dbt node becomes an asset is driven by dbt itself (meta, description, folders), never by
lists of model names:

- key: `meta.dagster.asset_key` when set; raw sources `["raw", <table>]`; other nodes
  `[<schema config>, <name>]` (e.g. `staging/stg_crm__leads`, `marts/leads`, `rules/<seed>`).
- group: `meta.dagster.group`, else the dbt group, else the folder under the resource path
  (`staging`, `intermediate`, `marts`; seeds under `seeds/rules/` -> `rules`); raw sources `raw`.
- owners: `meta.dagster.owners`, else `meta.owner`/`meta.owners` (an email, or a team name that
  becomes `team:<name>`), else the dbt group's owner email.
- tags: dbt tags plus `meta.dagster.tags` (a mapping); description: the dbt description.
"""

# No `from __future__ import annotations`: Dagster reads the asset's config annotation at runtime.
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    RunConfig,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from pydantic import Field, field_validator

from handoff import dbt_cli, settings
from handoff.as_of import AS_OF_HELP, parse_as_of
from handoff.dbt_project import handoff_dbt_project, prepare_if_dev, require_manifest
from handoff.defs import WAREHOUSE_POOL

DBT_ASSETS_NAME = "handoff_dbt_assets"
RAW_GROUP = "raw"

_INVALID_GROUP_CHARACTERS = re.compile(r"[^A-Za-z0-9_]")


def _meta(dbt_resource_props: Mapping[str, Any]) -> dict[str, Any]:
    """A node's meta: the top-level property merged with `config.meta` (dbt >= 1.10 keeps both)."""
    config_meta = (dbt_resource_props.get("config") or {}).get("meta") or {}
    return {**(dbt_resource_props.get("meta") or {}), **config_meta}


def _dagster_meta(dbt_resource_props: Mapping[str, Any]) -> dict[str, Any]:
    return _meta(dbt_resource_props).get("dagster") or {}


def _owner(value: str) -> str:
    """Dagster owners are emails or `team:<name>`; a bare name is read as a team."""
    value = value.strip()
    return value if "@" in value or value.startswith("team:") else f"team:{value}"


class HandoffDbtTranslator(DagsterDbtTranslator):
    """Maps dbt nodes to assets from their meta, description and folder (see module docstring)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        is_source = dbt_resource_props["resource_type"] == "source"
        if is_source and not _dagster_meta(dbt_resource_props).get("asset_key"):
            return AssetKey([settings.RAW_SCHEMA, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        group = (
            _dagster_meta(dbt_resource_props).get("group")
            or (dbt_resource_props.get("config") or {}).get("group")
            or self._folder_group(dbt_resource_props)
        )
        return _INVALID_GROUP_CHARACTERS.sub("_", str(group))

    @staticmethod
    def _folder_group(dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props["resource_type"] == "source":
            return RAW_GROUP
        # fqn = [package, <folders under the resource path>..., name]
        fqn = dbt_resource_props.get("fqn") or []
        if len(fqn) >= 3:
            return fqn[1]
        return f"{dbt_resource_props['resource_type']}s"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = (dbt_resource_props.get("description") or "").strip()
        return description or (
            f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']}"
        )

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        meta = _meta(dbt_resource_props)
        owners = _dagster_meta(dbt_resource_props).get("owners") or meta.get("owners")
        owners = owners or meta.get("owner")
        if isinstance(owners, str):
            owners = [owners]
        if owners:
            return [_owner(str(owner)) for owner in owners]
        return super().get_owners(dbt_resource_props)

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        meta_tags = _dagster_meta(dbt_resource_props).get("tags") or {}
        return {
            **super().get_tags(dbt_resource_props),
            **{str(key): str(value) for key, value in meta_tags.items()},
        }


translator = HandoffDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_code_references=True),
)


class DbtBuildConfig(Config):
    """Run config of the dbt build."""

    as_of: str | None = Field(
        default=None,
        description=(
            f"The build's notion of now (dbt var as_of): {AS_OF_HELP}. "
            "Unset: the moment dbt starts."
        ),
    )

    @field_validator("as_of")
    @classmethod
    def _valid_as_of(cls, value: str | None) -> str | None:
        return parse_as_of(value) if value else None


def build_run_config(as_of: str | None) -> RunConfig:
    """Run config for a job that includes the dbt assets, pinning the build's as_of."""
    return RunConfig(ops={DBT_ASSETS_NAME: DbtBuildConfig(as_of=as_of)})


def raw_source_specs(
    manifest: Mapping[str, Any],
    dagster_dbt_translator: DagsterDbtTranslator,
) -> list[AssetSpec]:
    """External assets for the raw tables the dbt sources declare (loaded outside dbt)."""
    adapter_type = (manifest.get("metadata") or {}).get("adapter_type")
    specs: dict[AssetKey, AssetSpec] = {}
    for unique_id, props in sorted(manifest.get("sources", {}).items()):
        key = dagster_dbt_translator.get_asset_key(props)
        if key in specs:
            raise ValueError(
                f"dbt source {unique_id} maps to asset key {key.to_user_string()}, "
                "which another source already uses"
            )
        specs[key] = AssetSpec(
            key=key,
            description=dagster_dbt_translator.get_description(props),
            group_name=dagster_dbt_translator.get_group_name(props),
            metadata=dagster_dbt_translator.get_metadata(props),
            owners=dagster_dbt_translator.get_owners(props),
            tags=dagster_dbt_translator.get_tags(props),
            kinds={adapter_type} if adapter_type else None,
        )
    return list(specs.values())


def _load_manifest(project: DbtProject) -> Mapping[str, Any]:
    return json.loads(require_manifest(project).read_bytes())


# dagster-dbt 0.29 starts dbt with a copy of os.environ, in the project folder, and takes no
# environment of its own: a relative HANDOFF_DUCKDB_PATH, meant relative to where Dagster was
# started, is made absolute once, here, for every dbt process this code location starts.
settings.pin_duckdb_path()
prepare_if_dev()
manifest = _load_manifest(handoff_dbt_project)
raw_sources = raw_source_specs(manifest, translator)


@dbt_assets(
    manifest=manifest,
    project=handoff_dbt_project,
    dagster_dbt_translator=translator,
    name=DBT_ASSETS_NAME,
    pool=WAREHOUSE_POOL,
)
def handoff_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
) -> Iterator[Any]:
    """`dbt build` of the selected nodes (all by default), events streamed as they happen."""
    context.log.info(f"dbt build, as_of={config.as_of or 'start of the dbt invocation'}")
    yield from dbt.cli(dbt_cli.build_args(config.as_of), context=context).stream()
