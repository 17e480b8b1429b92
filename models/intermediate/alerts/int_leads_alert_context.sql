-- What a rep needs to act on a lead, one row per lead, for the messages of the outbound feeds
-- (crm_assignment_sync, sla_alerts): who the lead is, why it scores, what triggered the
-- handoff, and the company from enrichment. Facts only; wording and local times are the
-- delivery code's. No email address or phone number.
with

leads as (

    select * from {{ ref('leads') }}

),

lead_names as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

events as (

    select * from {{ ref('stg_marketing__events') }}
    where quarantine_reason is null

),

named_leads as (

    select
        lead_id,
        nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as lead_name
    from lead_names

),

final as (

    select
        leads.lead_id,
        named_leads.lead_name,
        leads.job_title,
        leads.company_name,
        leads.priority_tier,
        leads.priority_tier_name,
        leads.total_score,
        leads.top_score_reasons,
        leads.handoff_at,
        leads.handoff_rule_kind,
        events.event_type as trigger_event_type,
        leads.industry,
        leads.employee_count,
        current_attributes.tech_stack,
        coalesce(events.occurred_at, leads.handoff_at) as trigger_event_at
    from leads
    left join named_leads
        on leads.lead_id = named_leads.lead_id
    left join current_attributes
        on leads.lead_id = current_attributes.lead_id
    left join events
        on leads.handoff_event_id = events.event_id

)

select * from final
