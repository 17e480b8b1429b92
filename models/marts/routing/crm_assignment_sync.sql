-- The feed the CRM sync reads: one row per ledger entry, with a deterministic idempotency
-- key, so pushing a row twice has the effect of pushing it once.
with

assignments as (

    select * from {{ ref('lead_assignments') }}

),

lead_sla as (

    select * from {{ ref('lead_sla') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

alert_context as (

    select * from {{ ref('int_leads_alert_context') }}

),

latest_assignments as (

    select
        lead_id,
        max(assignment_sequence) as current_assignment_sequence
    from assignments
    group by lead_id

),

final as (

    select
        {{ dbt.hash("assignments.assignment_id || '|' || assignments.rep_id") }} as sync_key,
        assignments.assignment_id,
        assignments.lead_id,
        assignments.rep_id,
        assignments.assignment_type,
        assignments.assignment_sequence,
        assignments.assignment_sequence = latest_assignments.current_assignment_sequence as is_current_owner,
        assignments.previous_rep_id,
        assignments.team,
        reps.slack_member_id as rep_slack_member_id,
        lead_sla.priority_tier,
        lead_sla.sla_due_at,
        lead_sla.sla_status,
        assignments.assigned_at,
        assignments.routing_rule_id,
        assignments.routing_reason,
        {{ crm_lead_url('assignments.lead_id') }} as crm_lead_url,
        assignments.recorded_at,
        reps.full_name as rep_name,
        reps.timezone as rep_timezone,
        alert_context.company_name,
        {{ alert_context_columns('alert_context') }}
    from assignments
    inner join latest_assignments
        on assignments.lead_id = latest_assignments.lead_id
    left join lead_sla
        on assignments.lead_id = lead_sla.lead_id
    left join reps
        on assignments.rep_id = reps.rep_id
    left join alert_context
        on assignments.lead_id = alert_context.lead_id

)

select * from final
