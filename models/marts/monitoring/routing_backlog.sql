-- Handed-off leads that no run has routed yet, and why: no matching rule team has a rep
-- who takes round-robin leads, or every eligible rep was full or away at handoff (the lead is
-- retried by every run). Empty in a healthy warehouse.
with

leads as (

    select * from {{ ref('leads') }}
    where
        handoff_at is not null
        and not is_disqualified
        and handoff_at <= {{ as_of() }}

),

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

matched_rules as (

    select * from {{ ref('int_lead_routing_rules_matched') }}

),

staffed_teams as (

    select * from {{ ref('int_routing_teams_staffed') }}

),

staffed_matches as (

    select
        matched_rules.lead_id,
        count(*) as matched_rule_count,
        count(staffed_teams.team) as staffed_rule_count
    from matched_rules
    left join staffed_teams
        on matched_rules.team = staffed_teams.team
    group by matched_rules.lead_id

),

final as (

    select
        leads.lead_id,
        leads.priority_tier,
        leads.handoff_at,
        leads.territory,
        {{ minutes_between('leads.handoff_at', as_of()) }} as waiting_minutes,
        case
            when coalesce(staffed_matches.matched_rule_count, 0) = 0 then 'no_matching_rule'
            when staffed_matches.staffed_rule_count = 0 then 'no_staffed_team'
            else 'no_eligible_rep_at_handoff'
        end as backlog_reason
    from leads
    left join initial_assignments
        on leads.lead_id = initial_assignments.lead_id
    left join staffed_matches
        on leads.lead_id = staffed_matches.lead_id
    where initial_assignments.lead_id is null

)

select * from final
