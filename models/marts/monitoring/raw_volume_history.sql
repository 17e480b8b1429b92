{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        full_refresh=false
    )
}}
-- Every build appends one row per raw table: its row count and latest load. An append-only
-- history (a --full-refresh keeps it), read by raw_volume_changes to tell a table that shrank
-- or stopped growing between builds. built_at is when the build ran (the order of builds);
-- build_as_of_at is the build's as_of (the clock the stall window is measured on).
with

volumes as (

    select * from {{ ref('stg_ops__raw_volumes') }}

),

final as (

    select
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}) as built_at,
        {{ as_of() }} as build_as_of_at,
        table_name,
        row_count,
        last_loaded_at
    from volumes

)

select * from final
