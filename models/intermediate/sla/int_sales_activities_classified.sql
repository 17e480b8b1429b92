{#- Every clean sales activity with whether it is a valid first touch (contract section 3) and
    the rule that made it valid. Rules are rows of the seed valid_touch_rules: an activity is
    valid when it matches any rule; an empty rule cell matches any value, a set one only an
    equal value (so an unknown automation flag never satisfies "not automated"). Whether the
    touch came after handoff is for the SLA models to decide. -#}
with

activities as (

    select * from {{ ref('stg_crm__sales_activities') }}

),

rules as (

    select * from {{ ref('valid_touch_rules') }}

),

matches as (

    select
        activities.activity_id,
        rules.valid_touch_rule_id,
        row_number() over (
            partition by activities.activity_id
            order by rules.valid_touch_rule_id
        ) as match_rank
    from activities
    inner join rules
        on
            activities.channel = rules.channel
            and (rules.direction is null or activities.direction = rules.direction)
            and (rules.is_automated is null or activities.is_automated = rules.is_automated)
            and (rules.is_personalized is null or activities.is_personalized = rules.is_personalized)
            and (rules.call_outcome is null or activities.call_outcome = rules.call_outcome)

),

first_matches as (

    -- several matching rules: the first rule id names the reason
    select * from matches
    where match_rank = 1

),

final as (

    select
        activities.activity_id,
        activities.lead_id,
        activities.rep_id,
        activities.occurred_at,
        activities.channel,
        activities.direction,
        activities.is_automated,
        activities.is_personalized,
        activities.call_outcome,
        first_matches.valid_touch_rule_id,
        first_matches.valid_touch_rule_id is not null as is_valid_touch
    from activities
    left join first_matches
        on activities.activity_id = first_matches.activity_id

)

select * from final
