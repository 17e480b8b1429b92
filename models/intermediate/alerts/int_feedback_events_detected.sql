{#- What sales did with the leads marketing sent, as alert events (issue 14, feedback notices):
    an opportunity created from a lead, a deal won, a rep's disposition (event_variant = its
    status: `rejected` carries the rejection reason), and a lead the disqualification rules took
    out of the funnel. Same columns as int_alert_events_detected; sla_alerts raises the alert
    types of seed alert_types and routes them (recipient role `marketing`) to the Slack channel
    of the lead's campaign. A disqualification happened when the warehouse learnt the facts it
    judges on: the lead's current attribute version (creation or the latest enrichment). -#}
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where lead_id is not null

),

dispositions as (

    select * from {{ ref('stg_crm__lead_dispositions') }}

),

disqualified_leads as (

    select * from {{ ref('int_leads_disqualified') }}
    where is_disqualified

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

lead_sla as (

    select * from {{ ref('int_leads_sla_evaluated') }}

),

opportunities_described as (

    select
        *,
        cast(cast({{ round_to('amount_usd') }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}) || ' USD'
            as amount_text
    from opportunities

),

feedback_events as (

    select
        'opportunity_created' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        opportunity_id as source_id,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as subject_rep_id,
        created_at as event_at,
        'Opportunity ' || opportunity_id || ' created'
        || coalesce(' at stage ' || stage, '')
        || coalesce(', ' || amount_text, '')
        || '.' as event_detail
    from opportunities_described
    union all
    select
        'deal_won' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        opportunity_id as source_id,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as subject_rep_id,
        closed_at as event_at,
        'Opportunity ' || opportunity_id || ' won'
        || coalesce(': ' || amount_text, '')
        || '.' as event_detail
    from opportunities_described
    where is_won and closed_at is not null
    union all
    select
        'disposition' as event_kind,
        status as event_variant,
        disposition_id as source_id,
        lead_id,
        rep_id as subject_rep_id,
        disposed_at as event_at,
        'Marked ' || status || coalesce(' by rep ' || rep_id, '')
        || coalesce(', reason: ' || rejection_reason, '') || '.' as event_detail
    from dispositions
    union all
    select
        'disqualification' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        disqualified_leads.lead_id as source_id,
        disqualified_leads.lead_id,
        cast(null as {{ dbt.type_string() }}) as subject_rep_id,
        current_attributes.valid_from_at as event_at,
        'Disqualified: ' || disqualified_leads.disqualification_reason || '.' as event_detail
    from disqualified_leads
    inner join current_attributes
        on disqualified_leads.lead_id = current_attributes.lead_id

),

final as (

    select
        feedback_events.event_kind,
        feedback_events.event_variant,
        feedback_events.source_id,
        feedback_events.lead_id,
        feedback_events.subject_rep_id,
        lead_sla.team as subject_team,
        lead_sla.priority_tier,
        feedback_events.event_at,
        feedback_events.event_detail
    from feedback_events
    left join lead_sla
        on feedback_events.lead_id = lead_sla.lead_id

)

select * from final
