-- How old a handed-off lead is at its first valid touch (issue 14): one row per month in which
-- the SLA was decided (UTC, as sla_compliance: the first valid touch when met, the deadline when
-- breached) x priority tier x team, over the leads whose SLA is decided. Each lead is one of:
-- `fast_compliant` (met, using at most slow_share_of_window of
-- its SLA window, seed touch_speed_thresholds), `slow_compliant` (met, using more), `late`
-- (touched after the deadline) or `untouched` (breached without a touch yet). The window share
-- is measured on the policy's own clock: business minutes, or calendar minutes for an off-hours
-- calendar deadline. Ages are minutes from handoff to the first valid touch.
with

decided_leads as (

    select * from {{ ref('lead_sla') }}
    where sla_status in ('met', 'breached')

),

touch_speed_thresholds as (

    select * from {{ ref('touch_speed_thresholds') }}

),

measured as (

    select
        decided_leads.*,
        touch_speed_thresholds.slow_share_of_window,
        case
            when decided_leads.sla_policy_clock = 'calendar_minutes' then decided_leads.handoff_to_first_touch_minutes
            else decided_leads.response_business_minutes
        end / decided_leads.sla_policy_minutes as window_share_used
    from decided_leads
    left join touch_speed_thresholds
        on decided_leads.priority_tier = touch_speed_thresholds.priority_tier

),

classified as (

    select
        *,
        cast(
            {{ dbt.date_trunc('month', "case when sla_status = 'met' then first_valid_touch_at else sla_due_at end") }}
            as date
        ) as month_start_date,
        case
            -- without a threshold row (or response minutes) a compliant touch is not called slow
            when sla_status = 'met' and window_share_used > slow_share_of_window then 'slow_compliant'
            when sla_status = 'met' then 'fast_compliant'
            when first_valid_touch_at is not null then 'late'
            else 'untouched'
        end as touch_class
    from measured

),

aggregated as (

    select
        month_start_date,
        priority_tier,
        team,
        count(*) as decided_leads,
        sum(case when touch_class = 'fast_compliant' then 1 else 0 end) as fast_compliant_leads,
        sum(case when touch_class = 'slow_compliant' then 1 else 0 end) as slow_compliant_leads,
        sum(case when touch_class = 'late' then 1 else 0 end) as late_leads,
        sum(case when touch_class = 'untouched' then 1 else 0 end) as untouched_leads,
        avg(response_business_minutes) as avg_response_business_minutes,
        {{ percentile_cont('response_business_minutes', 0.5) }} as median_response_business_minutes,
        {{ percentile_cont('response_business_minutes', 0.9) }} as p90_response_business_minutes,
        avg(handoff_to_first_touch_minutes) as avg_handoff_to_first_touch_minutes,
        {{ percentile_cont('handoff_to_first_touch_minutes', 0.5) }} as median_handoff_to_first_touch_minutes,
        max(slow_share_of_window) as slow_share_of_window
    from classified
    group by month_start_date, priority_tier, team

),

final as (

    select
        month_start_date,
        cast(priority_tier as integer) as priority_tier,
        team,
        cast(decided_leads as integer) as decided_leads,
        cast(fast_compliant_leads as integer) as fast_compliant_leads,
        cast(slow_compliant_leads as integer) as slow_compliant_leads,
        cast(late_leads as integer) as late_leads,
        cast(untouched_leads as integer) as untouched_leads,
        cast(cast(fast_compliant_leads as {{ type_double() }}) / decided_leads as {{ type_double() }})
            as fast_compliant_share,
        cast(cast(slow_compliant_leads as {{ type_double() }}) / decided_leads as {{ type_double() }})
            as slow_compliant_share,
        cast(cast(late_leads as {{ type_double() }}) / decided_leads as {{ type_double() }}) as late_share,
        cast(cast(untouched_leads as {{ type_double() }}) / decided_leads as {{ type_double() }}) as untouched_share,
        cast(avg_response_business_minutes as {{ type_double() }}) as avg_response_business_minutes,
        cast(median_response_business_minutes as {{ type_double() }}) as median_response_business_minutes,
        cast(p90_response_business_minutes as {{ type_double() }}) as p90_response_business_minutes,
        cast(avg_handoff_to_first_touch_minutes as {{ type_double() }}) as avg_handoff_to_first_touch_minutes,
        cast(median_handoff_to_first_touch_minutes as {{ type_double() }}) as median_handoff_to_first_touch_minutes,
        cast(slow_share_of_window as {{ type_double() }}) as slow_share_of_window,
        cast({{ dbt.dateadd('month', 1, 'month_start_date') }} as {{ dbt.type_timestamp() }}) <= {{ as_of() }}
            as is_complete_month,
        {{ as_of() }} as first_touch_as_of_at
    from aggregated

)

select * from final
