-- One row per raw table: its rows at the latest build against the build before, and how long
-- (in the builds' as_of hours) its row count has stood still. Flags a table that shrank
-- (var raw_volume_shrink_tolerance) and a table expected to grow (var
-- raw_volume_growing_tables) that has not grown for var raw_volume_stall_hours; the warn
-- tests assert_monitoring_raw_tables_* report them. A truncated or stalled connector extract
-- shows here even when no `handoff load` guarded it.
with

history as (

    select * from {{ ref('raw_volume_history') }}

),

ordered as (

    select
        *,
        row_number() over (partition by table_name order by built_at desc, build_id desc) as builds_ago,
        lag(build_id) over (partition by table_name order by built_at, build_id) as previous_build_id,
        lag(row_count) over (partition by table_name order by built_at, build_id) as previous_row_count,
        lag(last_loaded_at) over (
            partition by table_name order by built_at, build_id
        ) as previous_last_loaded_at
    from history

),

latest as (

    select * from ordered
    where builds_ago = 1

),

last_different as (

    -- the last build at which the table held another number of rows than it holds now
    select
        history.table_name,
        max(history.built_at) as last_different_built_at
    from history
    inner join latest
        on history.table_name = latest.table_name
    where history.row_count <> latest.row_count
    group by history.table_name

),

unchanged_since as (

    select
        history.table_name,
        min(history.build_as_of_at) as unchanged_since_at
    from history
    left join last_different
        on history.table_name = last_different.table_name
    where
        last_different.last_different_built_at is null
        or history.built_at > last_different.last_different_built_at
    group by history.table_name

),

compared as (

    select
        latest.table_name,
        latest.build_id,
        latest.built_at,
        latest.build_as_of_at,
        latest.row_count,
        latest.previous_row_count,
        latest.last_loaded_at,
        latest.previous_last_loaded_at,
        unchanged_since.unchanged_since_at,
        {{ minutes_between('unchanged_since.unchanged_since_at', 'latest.build_as_of_at') }} / 60.0
            as unchanged_hours,
        latest.previous_build_id is not null as has_previous_build,
        latest.table_name in (
            {%- for table_name in var('raw_volume_growing_tables') -%}
                '{{ table_name }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ) as is_expected_to_grow
    from latest
    left join unchanged_since
        on latest.table_name = unchanged_since.table_name

),

flagged as (

    select
        *,
        coalesce(
            row_count < previous_row_count * (1 - {{ var('raw_volume_shrink_tolerance') }}), false
        ) as is_shrunk,
        coalesce(
            has_previous_build
            and is_expected_to_grow
            and row_count = previous_row_count
            and unchanged_hours >= {{ var('raw_volume_stall_hours') }},
            false
        ) as is_stalled
    from compared

),

final as (

    select
        table_name,
        build_id,
        built_at,
        build_as_of_at,
        row_count,
        previous_row_count,
        last_loaded_at,
        previous_last_loaded_at,
        unchanged_since_at,
        unchanged_hours,
        is_expected_to_grow,
        is_shrunk,
        is_stalled,
        case
            when not has_previous_build then 'first_build'
            when is_shrunk then 'shrank'
            when is_stalled then 'stalled'
            when row_count > previous_row_count then 'grew'
            when row_count < previous_row_count then 'shrank_within_tolerance'
            else 'steady'
        end as volume_status
    from flagged

)

select * from final
