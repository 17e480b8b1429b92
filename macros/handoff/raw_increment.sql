{#-
    Incremental staging of a growing raw table (README "Performance and scale", docs/engines.md).

    A base_ model that stages a growing raw table (events, activities) is incremental: each run
    re-stages only the keys touched since the last one, with delete+insert on the key, so a
    key's rows are always ranked (dedup) and checked together. The watermark is the latest
    `_loaded_at` (set by `handoff load`) the model has staged, kept in its column `loaded_at`.

    - incremental_materialization(): 'incremental', except on Spark, where a parquet table
      cannot delete rows (delete+insert and merge need Delta, unreachable here): a table there.
    - raw_increment_since(raw_relation): the instant after which raw rows are new (the watermark
      minus var incremental_lookback_minutes), or none when every raw row must be staged again:
      a first or full-refresh build, a raw table replaced since (`handoff load` without
      --append gives every row a newer `_loaded_at`), or a table built before `loaded_at`.
    - delete_all_when_restaged(raw_relation): the pre-hook that empties the table in that last
      case, so rows gone from a replaced raw table go from the model too.
-#}

{% macro incremental_materialization() -%}
    {{- return('table' if target.type == 'spark' else 'incremental') -}}
{%- endmacro %}


{% macro raw_increment_since(raw_relation) -%}
    {#- (a unit test has no `this`: it stages its given rows as a first build does) -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set staged_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'loaded_at' not in staged_columns -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set bounds = run_query(
        'select (select max(loaded_at) from ' ~ this ~ ') as staged_until, '
        ~ '(select min(_loaded_at) from ' ~ raw_relation ~ ') as raw_from'
    ).rows[0] -%}
    {%- set staged_until, raw_from = bounds[0], bounds[1] -%}
    {%- if staged_until is none or (raw_from is not none and raw_from > staged_until) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set lookback = var('incremental_lookback_minutes') | int -%}
    {%- set since = staged_until - modules.datetime.timedelta(minutes=lookback) -%}
    {{- return(since.strftime('%Y-%m-%d %H:%M:%S.%f')) -}}
{%- endmacro %}


{% macro delete_all_when_restaged(raw_relation) -%}
    {%- if execute and is_incremental() and raw_increment_since(raw_relation) is none -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}


{#- Raw rows loaded after `since` (a raw_increment_since value). -#}
{% macro loaded_after(since) -%}
    _loaded_at > cast('{{ since }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- The filter on the raw table of an incremental run: every row of the keys in CTE
    touched_keys (all rows of a key are ranked together), and the new rows without a key
    (quarantined as such; the staged ones stay). -#}
{% macro touched_raw_rows(key_column, since) -%}
    {{ clean_text(key_column) }} in (select touched_keys.{{ key_column }} from touched_keys)
    or ({{ clean_text(key_column) }} is null and {{ loaded_after(since) }})
{%- endmacro %}
