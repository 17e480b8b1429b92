-- Handed-off leads that no run has routed yet, and why. A lead no matching team can take
-- overflows to the catch-all team (int_assignments_routed), so only three cases are left:
-- no active rep at all (the lead stays unassigned: its SLA runs on the default calendar and
-- operations get an `unassigned_lead` alert), a rep that the run's own earlier leads filled
-- to capacity (the next run routes it), or a lead matching no rule (broken rules; the
-- rule tests prevent it). Empty in a healthy warehouse.
with

leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

matched_rules as (

    select * from {{ ref('int_lead_routing_rules_matched') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

active_rep_count as (

    select count(*) as active_reps
    from reps
    where is_active

),

matched_leads as (

    select distinct lead_id
    from matched_rules

),

final as (

    select
        leads.lead_id,
        leads.priority_tier,
        leads.handoff_at,
        leads.territory,
        {{ minutes_between('leads.handoff_at', as_of()) }} as waiting_minutes,
        case
            when active_rep_count.active_reps = 0 then 'no_active_rep'
            when matched_leads.lead_id is null then 'no_matching_rule'
            else 'waiting_for_capacity'
        end as backlog_reason
    from leads
    cross join active_rep_count
    left join initial_assignments
        on leads.lead_id = initial_assignments.lead_id
    left join matched_leads
        on leads.lead_id = matched_leads.lead_id
    where initial_assignments.lead_id is null

)

select * from final
