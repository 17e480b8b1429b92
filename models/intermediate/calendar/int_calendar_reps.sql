{#- Everyone who has a working calendar: every clean rep, plus the default calendar
    (var('default_calendar'), keyed by default_calendar_rep_id()) on which the SLA of a lead
    nobody could take runs (contract section 2). -#}
{%- set calendar = var('default_calendar') -%}
{%- set holiday_calendar = "'" ~ calendar.holiday_calendar ~ "'" if calendar.holiday_calendar else 'null' -%}
with

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

rep_calendars as (

    select
        rep_id,
        timezone,
        holiday_calendar,
        work_start_minute,
        work_end_minute,
        work_days,
        false as is_default_calendar
    from reps

),

default_calendar as (

    select
        '{{ default_calendar_rep_id() }}' as rep_id,
        '{{ calendar.timezone }}' as timezone,
        cast({{ holiday_calendar }} as {{ dbt.type_string() }}) as holiday_calendar,
        {{ default_calendar_minute('work_start_local') }} as work_start_minute,
        {{ default_calendar_minute('work_end_local') }} as work_end_minute,
        '{{ calendar.work_days | lower | replace(' ', '') }}' as work_days,
        true as is_default_calendar

),

final as (

    select * from rep_calendars
    union all
    select * from default_calendar

)

select * from final
