-- var('default_calendar') must describe a usable calendar: a time zone the engine knows,
-- working days from mon..sun, and a working day that ends after it starts. A wrong value fails
-- the build here, naming what is wrong.
{% set weekday = '(mon|tue|wed|thu|fri|sat|sun)' -%}
{%- set weekday_list = '^' ~ weekday ~ '(,' ~ weekday ~ ')*$' -%}
with

default_calendar as (

    select * from {{ ref('int_calendar_reps') }}
    where is_default_calendar

),

known_zones as (

    select * from {{ time_zone_names() }} as engine_time_zones

),

problems as (

    select 'var default_calendar.timezone: unknown time zone ' || default_calendar.timezone as problem
    from default_calendar
    left join known_zones
        on default_calendar.timezone = known_zones.time_zone_name
    where known_zones.time_zone_name is null
    union all
    select 'var default_calendar: work_end_local must be after work_start_local' as problem
    from default_calendar
    where default_calendar.work_end_minute <= default_calendar.work_start_minute
    union all
    select
        'var default_calendar.work_days: use mon,tue,wed,thu,fri,sat,sun, got '
        || coalesce(default_calendar.work_days, '(null)') as problem
    from default_calendar
    where not coalesce({{ regex_matches('default_calendar.work_days', "'" ~ weekday_list ~ "'") }}, false)

),

final as (

    select * from problems

)

select * from final
