-- What a rep needs to act on a lead, one row per handed-off lead, for the messages of the
-- outbound feeds (crm_assignment_sync, sla_alerts): who the lead is, why it scores, what
-- triggered the handoff, and the company from enrichment. Facts only; wording and local times
-- are the delivery code's. No email address or phone number.
with

handed_off as (

    select * from {{ ref('int_leads_handed_off') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

scores_as_of as (

    select * from {{ ref('int_lead_scores_current') }}

),

top_reasons as (

    select * from {{ ref('int_leads_top_reasons_listed') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

final as (

    select
        handed_off.lead_id,
        nullif(trim(coalesce(leads.first_name, '') || ' ' || coalesce(leads.last_name, '')), '') as lead_name,
        leads.job_title,
        handed_off.company_name,
        handed_off.priority_tier,
        handed_off.priority_tier_name,
        cast(cast(scores_as_of.total_score as decimal(10, 2)) as {{ type_double() }}) as total_score,
        top_reasons.top_score_reasons,
        handed_off.handoff_at,
        handed_off.handoff_rule_kind,
        events.event_type as trigger_event_type,
        current_attributes.industry,
        current_attributes.employee_count,
        current_attributes.tech_stack,
        coalesce(events.occurred_at, handed_off.handoff_at) as trigger_event_at
    from handed_off
    inner join leads
        on handed_off.lead_id = leads.lead_id
    left join current_attributes
        on handed_off.lead_id = current_attributes.lead_id
    left join scores_as_of
        on handed_off.lead_id = scores_as_of.lead_id
    left join top_reasons
        on handed_off.lead_id = top_reasons.lead_id
    left join events
        on handed_off.handoff_event_id = events.event_id

)

select * from final
