{#- One row per breached first-touch SLA, attributed to the rep who held the lead when it fell
    due: the latest lead_assignments row with assigned_at <= sla_due_at (an escalation that
    happened before the deadline moves the breach to the rep it went to; one after it does not).
    A lead's breach happens once, at sla_due_at (breach_at), whether the touch came late or not
    at all. -#}
with

breached_leads as (

    select * from {{ ref('int_leads_sla_evaluated') }}
    where sla_status = 'breached'

),

assignments as (

    select * from {{ ref('lead_assignments') }}

),

holders as (

    select
        breached_leads.lead_id,
        assignments.rep_id,
        assignments.team,
        assignments.assignment_type,
        row_number() over (
            partition by breached_leads.lead_id
            order by assignments.assigned_at desc, assignments.assignment_sequence desc
        ) as holder_rank
    from breached_leads
    inner join assignments
        on
            breached_leads.lead_id = assignments.lead_id
            and breached_leads.sla_due_at >= assignments.assigned_at

),

holders_at_due as (

    select * from holders
    where holder_rank = 1

),

final as (

    select
        breached_leads.lead_id,
        breached_leads.breach_at,
        breached_leads.sla_rep_id,
        breached_leads.priority_tier,
        breached_leads.territory,
        breached_leads.handoff_at,
        breached_leads.sla_due_at,
        breached_leads.first_valid_touch_at,
        breached_leads.minutes_overdue,
        -- without an assignment row at or before the deadline (not expected), the SLA rep
        coalesce(holders_at_due.rep_id, breached_leads.sla_rep_id) as breach_rep_id,
        coalesce(holders_at_due.team, breached_leads.team) as breach_team,
        coalesce(holders_at_due.assignment_type, breached_leads.assignment_type) as breach_assignment_type
    from breached_leads
    left join holders_at_due
        on breached_leads.lead_id = holders_at_due.lead_id

)

select * from final
