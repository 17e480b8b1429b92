{#- One row per breached first-touch SLA, attributed to the rep who owned the SLA: sla_rep_id,
    the rep of the initial assignment (contract section 3: reassignments never move the
    deadline, and they do not move the breach either). Backups and managers who received the
    lead by escalation are measured on their own response (escalation_responses), not on the
    violation ladder. A breach of a lead nobody owns (team `unassigned`) has no rep. A lead's
    breach happens once, at sla_due_at (breach_at), whether the touch came late or not at all. -#}
with

breached_leads as (

    select * from {{ ref('int_leads_sla_evaluated') }}
    where sla_status = 'breached'

),

final as (

    select
        lead_id,
        breach_at,
        sla_rep_id,
        priority_tier,
        territory,
        handoff_at,
        sla_due_at,
        first_valid_touch_at,
        minutes_overdue,
        sla_rep_id as breach_rep_id,
        team as breach_team,
        assignment_type as breach_assignment_type
    from breached_leads

)

select * from final
