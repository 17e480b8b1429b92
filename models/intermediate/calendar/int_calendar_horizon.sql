{#- The span of local dates the working calendar covers, driven by the data: from the day before
    the earliest lead or event to the latest of as_of and the latest lead, event or activity,
    plus var('calendar_padding_days') so the longest SLA or escalation window still finds
    working intervals. One row. -#}
{%- set padding_days = var('calendar_padding_days', 45) | int -%}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

activities as (

    select * from {{ ref('stg_crm__sales_activities') }}

),

lead_bounds as (

    select
        min(created_at) as earliest_at,
        max(created_at) as latest_at
    from leads

),

event_bounds as (

    select
        min(occurred_at) as earliest_at,
        max(occurred_at) as latest_at
    from events

),

activity_bounds as (

    select max(occurred_at) as latest_at
    from activities

),

bounds as (

    -- least / greatest skip nulls: an empty table does not move the horizon
    select
        cast(
            coalesce(least(lead_bounds.earliest_at, event_bounds.earliest_at), {{ as_of() }}) as date
        ) as earliest_date,
        cast(
            greatest(
                {{ as_of() }},
                lead_bounds.latest_at,
                event_bounds.latest_at,
                activity_bounds.latest_at
            ) as date
        ) as latest_date
    from lead_bounds
    cross join event_bounds
    cross join activity_bounds

),

spans as (

    select
        earliest_date,
        latest_date,
        -- (the rendered macro spans lines, which sqlfluff counts as one long line)
        {{ dbt.datediff('earliest_date', 'latest_date', 'day') }} as spanned_days  -- noqa: LT05
    from bounds

),

final as (

    select
        cast({{ dbt.dateadd('day', -1, 'earliest_date') }} as date) as horizon_start_date,
        cast({{ dbt.dateadd('day', padding_days, 'latest_date') }} as date) as horizon_end_date,
        -- both ends included, plus the day before the earliest date and the padding
        spanned_days + 2 + {{ padding_days }} as horizon_day_count,
        {{ calendar_spine_day_limit() }} as spine_day_limit
    from spans

)

select * from final
