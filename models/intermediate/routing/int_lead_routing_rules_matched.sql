-- Every routing rule that matches each handed-off lead, in the order they are tried.
-- A null rule criterion matches anything; routing falls through this list when a
-- team has no eligible rep. The last rule is a catch-all (assert_routing_rules_reachable), so
-- every lead's last match is the catch-all rule: its team takes overflow.
with

routable_leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

routing_rules as (

    select * from {{ ref('routing_rules') }}

),

matches as (

    select
        routable_leads.lead_id,
        routing_rules.rule_id,
        routing_rules.priority as rule_priority,
        routing_rules.team,
        routing_rules.description as rule_description
    from routable_leads
    inner join routing_rules
        on
            (routing_rules.territory is null or routable_leads.territory = routing_rules.territory)
            and (routing_rules.country_code is null or routable_leads.country_code = routing_rules.country_code)
            and (routing_rules.region is null or lower(routing_rules.region) = lower(routable_leads.region))
            and (routing_rules.industry is null or routable_leads.industry = routing_rules.industry)
            and (routing_rules.size_tier is null or routable_leads.size_tier = routing_rules.size_tier)
            and (
                routing_rules.product_interest is null
                or routable_leads.product_interest = routing_rules.product_interest
            )
            and (routing_rules.priority_tier is null or routable_leads.priority_tier = routing_rules.priority_tier)

),

final as (

    select
        lead_id,
        rule_id,
        rule_priority,
        team,
        rule_description,
        row_number() over (partition by lead_id order by rule_priority, rule_id) as rule_order,
        row_number() over (partition by lead_id order by rule_priority desc, rule_id desc) = 1 as is_last_match
    from matches

)

select * from final
