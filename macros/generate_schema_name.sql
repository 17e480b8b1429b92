{#- Where each layer lands. A production target (var production_targets: the embedded
    DuckDB `duckdb` and `postgres`) uses the custom schemas exactly (staging, intermediate,
    marts, rules, ledger), so the contract's marts sit in one stable schema other systems read.
    Any other target is a development target: its schemas are prefixed with the target's own
    schema (dev_alice_marts), so a developer's build never writes where production reads, even
    on a shared PostgreSQL. orchestration/handoff/schemas.py applies the same rule in Python. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name in var('production_targets') -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
