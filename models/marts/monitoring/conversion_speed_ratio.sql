-- Speed-to-lead payoff (issue 14): per priority tier and for all tiers together (priority_tier
-- null), the conversion to opportunity of leads first touched fast (response windows with
-- speed_group `fast`: within 15 minutes by default) against leads touched slowly (`slow`: after
-- 24 hours), and their ratio, which the playbook expects between
-- var('response_speed_ratio_min') and var('response_speed_ratio_max') (3x to 5x).
with

outcomes as (

    select * from {{ ref('int_lead_outcomes_joined') }}
    where response_speed_group is not null

),

priority_tiers as (

    select * from {{ ref('priority_tiers') }}

),

scoped as (

    select
        priority_tier,
        response_speed_group,
        is_converted
    from outcomes
    union all
    select
        null as priority_tier,
        response_speed_group,
        is_converted
    from outcomes

),

scopes as (

    select priority_tier from priority_tiers
    union all
    select null as priority_tier

),

counted as (

    select
        scopes.priority_tier,
        sum(case when scoped.response_speed_group = 'fast' then 1 else 0 end) as fast_leads,
        sum(case when scoped.response_speed_group = 'fast' and scoped.is_converted then 1 else 0 end)
            as fast_leads_converted,
        sum(case when scoped.response_speed_group = 'slow' then 1 else 0 end) as slow_leads,
        sum(case when scoped.response_speed_group = 'slow' and scoped.is_converted then 1 else 0 end)
            as slow_leads_converted
    from scopes
    left join scoped
        on
            scopes.priority_tier = scoped.priority_tier
            or (scopes.priority_tier is null and scoped.priority_tier is null)
    group by scopes.priority_tier

),

rated as (

    select
        *,
        case when fast_leads > 0 then cast(fast_leads_converted as {{ type_double() }}) / fast_leads end
            as fast_conversion_rate,
        case when slow_leads > 0 then cast(slow_leads_converted as {{ type_double() }}) / slow_leads end
            as slow_conversion_rate
    from counted

),

final as (

    select
        cast(priority_tier as integer) as priority_tier,
        case when priority_tier is null then 'all' else 'tier' end as tier_scope,
        cast(fast_leads as integer) as fast_leads,
        cast(fast_leads_converted as integer) as fast_leads_converted,
        cast(fast_conversion_rate as {{ type_double() }}) as fast_conversion_rate,
        cast(slow_leads as integer) as slow_leads,
        cast(slow_leads_converted as integer) as slow_leads_converted,
        cast(slow_conversion_rate as {{ type_double() }}) as slow_conversion_rate,
        cast(
            case when slow_conversion_rate > 0 then fast_conversion_rate / slow_conversion_rate end
            as {{ type_double() }}
        ) as fast_to_slow_conversion_ratio,
        cast({{ var('response_speed_ratio_min') }} as {{ type_double() }}) as expected_ratio_min,
        cast({{ var('response_speed_ratio_max') }} as {{ type_double() }}) as expected_ratio_max,
        case
            when fast_conversion_rate is null or not slow_conversion_rate > 0 then 'insufficient_data'
            when fast_conversion_rate / slow_conversion_rate < {{ var('response_speed_ratio_min') }}
                then 'below_expected'
            when fast_conversion_rate / slow_conversion_rate > {{ var('response_speed_ratio_max') }}
                then 'above_expected'
            else 'within_expected'
        end as ratio_status,
        {{ as_of() }} as conversion_as_of_at
    from rated

)

select * from final
