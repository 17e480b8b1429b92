-- Conversion by response window (contract section 4): one row per response window (seed
-- response_windows) x priority tier (seed priority_tiers), every combination, empty ones with 0
-- leads. A handed-off lead falls in the window of its calendar minutes from handoff to the
-- first valid touch, or in `never` once it has waited longer than the longest bounded window
-- without one (younger untouched leads are not placed yet). Converted = an opportunity created
-- at or after handoff, at or before as_of. The tier's fast-to-slow ratio (conversion_speed_ratio)
-- is repeated on each of its rows.
with

outcomes as (

    select * from {{ ref('int_lead_outcomes_joined') }}
    where response_window is not null

),

response_windows as (

    select * from {{ ref('response_windows') }}

),

priority_tiers as (

    select * from {{ ref('priority_tiers') }}

),

speed_ratios as (

    select * from {{ ref('conversion_speed_ratio') }}
    where tier_scope = 'tier'

),

counted as (

    select
        response_window,
        priority_tier,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as leads_converted,
        avg(handoff_to_first_touch_minutes) as avg_handoff_to_first_touch_minutes
    from outcomes
    group by response_window, priority_tier

),

grid as (

    select
        response_windows.response_window,
        response_windows.window_order,
        response_windows.lower_minutes,
        response_windows.upper_minutes,
        response_windows.speed_group,
        priority_tiers.priority_tier
    from response_windows
    cross join priority_tiers

),

joined as (

    select
        grid.*,
        counted.avg_handoff_to_first_touch_minutes,
        coalesce(counted.leads, 0) as leads,
        coalesce(counted.leads_converted, 0) as leads_converted,
        sum(coalesce(counted.leads, 0)) over (partition by grid.priority_tier) as tier_leads
    from grid
    left join counted
        on
            grid.response_window = counted.response_window
            and grid.priority_tier = counted.priority_tier

),

final as (

    select
        joined.response_window,
        cast(joined.priority_tier as integer) as priority_tier,
        cast(joined.leads as integer) as leads,
        cast(joined.leads_converted as integer) as leads_converted,
        cast(
            case when joined.leads > 0 then cast(joined.leads_converted as {{ type_double() }}) / joined.leads end
            as {{ type_double() }}
        ) as conversion_rate,
        cast(joined.window_order as integer) as window_order,
        cast(joined.lower_minutes as {{ type_double() }}) as lower_minutes,
        cast(joined.upper_minutes as {{ type_double() }}) as upper_minutes,
        joined.speed_group,
        cast(
            case when joined.tier_leads > 0 then cast(joined.leads as {{ type_double() }}) / joined.tier_leads end
            as {{ type_double() }}
        ) as share_of_tier_leads,
        cast(joined.avg_handoff_to_first_touch_minutes as {{ type_double() }}) as avg_handoff_to_first_touch_minutes,
        speed_ratios.fast_to_slow_conversion_ratio as tier_fast_to_slow_conversion_ratio,
        speed_ratios.ratio_status as tier_ratio_status,
        {{ as_of() }} as conversion_as_of_at
    from joined
    left join speed_ratios
        on joined.priority_tier = speed_ratios.priority_tier

)

select * from final
