-- Routing rules that can never route a lead, named with the reason:
-- * a rule shadowed by an earlier rule for the same team (the earlier rule matches every
--   lead it matches, and falling through lands in the same team again);
-- * a last rule that is not a catch-all (leads matching no rule would never be routed).
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
            earlier.priority < later.priority
            and earlier.team = later.team
            and (earlier.territory is null or earlier.territory = later.territory)
            and (earlier.country_code is null or earlier.country_code = later.country_code)
            and (earlier.region is null or lower(earlier.region) = lower(later.region))
            and (earlier.industry is null or earlier.industry = later.industry)
            and (earlier.size_tier is null or earlier.size_tier = later.size_tier)
            and (earlier.product_interest is null or earlier.product_interest = later.product_interest)
            and (earlier.priority_tier is null or earlier.priority_tier = later.priority_tier)

),

last_rule as (

    select *
    from routing_rules
    where priority = (select max(priority) from routing_rules)

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
