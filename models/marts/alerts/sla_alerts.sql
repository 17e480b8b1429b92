-- One row per alert to deliver (contract section 4): a new owner, a deadline coming up, a
-- breach, an escalation. Recipients and channels come from seed alert_routes. alert_key is
-- deterministic, so delivery can record what it sent and never send it twice. Messages carry
-- the lead id, a masked email and a CRM link: never an email address or a phone number.
with

assignments as (

    select * from {{ ref('crm_assignment_sync') }}

),

lead_sla as (

    select * from {{ ref('lead_sla') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}
    where quarantine_reason is null

),

alert_routes as (

    select * from {{ ref('alert_routes') }}

),

alert_context as (

    select * from {{ ref('int_leads_alert_context') }}

),

current_owners as (

    select * from assignments
    where is_current_owner

),

alert_events as (

    -- every event that warrants a message, with the instant it happened
    select
        'new_assignment' as alert_type,
        assignment_id as source_id,
        lead_id,
        rep_id as assignee_rep_id,
        assigned_at as event_at,
        'Lead assigned to you: ' || routing_reason as headline
    from assignments
    where assignment_type in ('account_owner', 'round_robin')
    union all
    select
        'lead_escalated' as alert_type,
        assignment_id as source_id,
        lead_id,
        rep_id as assignee_rep_id,
        assigned_at as event_at,
        'Lead escalated to you: ' || routing_reason as headline
    from assignments
    where assignment_type in ('escalation_backup', 'escalation_manager')
    union all
    select
        'sla_due_soon' as alert_type,
        lead_sla.lead_id as source_id,
        lead_sla.lead_id,
        current_owners.rep_id as assignee_rep_id,
        {{ dbt.dateadd('minute', -1 * var('alert_due_soon_minutes'), 'lead_sla.sla_due_at') }} as event_at,
        'First touch due soon' as headline
    from lead_sla
    inner join current_owners
        on lead_sla.lead_id = current_owners.lead_id
    where
        lead_sla.sla_status = 'pending'
        and lead_sla.sla_due_at <= {{ dbt.dateadd('minute', var('alert_due_soon_minutes'), as_of()) }}
    union all
    select
        'sla_breached' as alert_type,
        lead_sla.lead_id as source_id,
        lead_sla.lead_id,
        current_owners.rep_id as assignee_rep_id,
        lead_sla.breach_at as event_at,
        'First-touch SLA breached' as headline
    from lead_sla
    inner join current_owners
        on lead_sla.lead_id = current_owners.lead_id
    where lead_sla.sla_status = 'breached'

),

recent_events as (

    select * from alert_events
    where
        event_at <= {{ as_of() }}
        and event_at > {{ dbt.dateadd('minute', -1 * var('alert_lookback_minutes'), as_of()) }}

),

routed_alerts as (

    -- each event x every route for its type (and the lead's tier), to the right person
    select
        recent_events.*,
        alert_routes.alert_route_id,
        alert_routes.recipient_role,
        alert_routes.channel,
        case
            when alert_routes.recipient_role = 'manager' then assignees.manager_id
            else recent_events.assignee_rep_id
        end as recipient_rep_id
    from recent_events
    inner join lead_sla
        on recent_events.lead_id = lead_sla.lead_id
    inner join alert_routes
        on
            recent_events.alert_type = alert_routes.alert_type
            and (alert_routes.priority_tier is null or lead_sla.priority_tier = alert_routes.priority_tier)
    inner join reps as assignees
        on recent_events.assignee_rep_id = assignees.rep_id

),

final as (

    select
        {{ dbt.hash(
            "routed_alerts.alert_type || '|' || routed_alerts.source_id || '|'
            || routed_alerts.recipient_rep_id || '|' || routed_alerts.channel"
        ) }} as alert_key,
        routed_alerts.lead_id,
        routed_alerts.recipient_rep_id as rep_id,
        routed_alerts.alert_type,
        routed_alerts.channel,
        lead_sla.sla_due_at as due_at,
        routed_alerts.recipient_role,
        routed_alerts.alert_route_id,
        routed_alerts.event_at,
        lead_sla.priority_tier,
        lead_sla.sla_status,
        lead_sla.minutes_overdue,
        {{ mask_email('leads.email') }} as masked_email,
        leads.company_name,
        recipients.slack_member_id as recipient_slack_member_id,
        {{ crm_lead_url('routed_alerts.lead_id') }} as crm_lead_url,
        routed_alerts.headline || ' (lead ' || routed_alerts.lead_id || ', tier '
        || coalesce(cast(lead_sla.priority_tier as {{ dbt.type_string() }}), '?') || ')' as message,
        recipients.full_name as recipient_name,
        recipients.timezone as recipient_timezone,
        {{ alert_context_columns('alert_context') }}
    from routed_alerts
    inner join lead_sla
        on routed_alerts.lead_id = lead_sla.lead_id
    inner join reps as recipients
        on routed_alerts.recipient_rep_id = recipients.rep_id
    left join leads
        on routed_alerts.lead_id = leads.lead_id
    left join alert_context
        on routed_alerts.lead_id = alert_context.lead_id

)

select * from final
