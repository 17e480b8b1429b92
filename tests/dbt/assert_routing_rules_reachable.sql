-- Routing rules that can never route a lead, named with the reason:
-- * a rule shadowed by an earlier rule for the same team (the earlier rule matches every
--   lead it matches, and falling through lands in the same team again);
-- * a last rule that is not a catch-all (leads matching no rule would never be routed).
{% set failures_sql -%}
with

routing_rules as (

    select * from {{ ref('routing_rules') }}

),

shadowed as (

    select
        'rule_id=' || later.rule_id || ': unreachable, shadowed by rule ' || earlier.rule_id
        || ' (same team ' || later.team || ')' as failing_row
    from routing_rules as later
    inner join routing_rules as earlier
        on
            later.priority > earlier.priority
            and later.team = earlier.team
            and (earlier.territory is null or later.territory = earlier.territory)
            and (earlier.country_code is null or later.country_code = earlier.country_code)
            and (earlier.region is null or lower(earlier.region) = lower(later.region))
            and (earlier.industry is null or later.industry = earlier.industry)
            and (earlier.size_tier is null or later.size_tier = earlier.size_tier)
            and (earlier.product_interest is null or later.product_interest = earlier.product_interest)
            and (earlier.priority_tier is null or later.priority_tier = earlier.priority_tier)

),

last_priority as (

    select max(priority) as priority
    from routing_rules

),

last_rule as (

    select routing_rules.*
    from routing_rules
    inner join last_priority
        on routing_rules.priority = last_priority.priority

),

no_catch_all as (

    select
        'rule_id=' || rule_id || ': the last rule must be a catch-all (every criterion empty)'
            as failing_row
    from last_rule
    where
        territory is not null
        or country_code is not null
        or region is not null
        or industry is not null
        or size_tier is not null
        or product_interest is not null
        or priority_tier is not null

),

final as (

    select failing_row from shadowed
    union all
    select failing_row from no_catch_all

)

select * from final
{%- endset -%}

{{ rule_test_failures(failures_sql, ref('routing_rules'), 'assert_routing_rules_reachable') }}
