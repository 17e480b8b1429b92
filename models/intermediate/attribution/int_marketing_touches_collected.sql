{#- Every marketing touch a lead had up to as_of, the raw material of attribution (issue 14):
    one row per lead x touch kind x touch. `campaign` touches are the lead's events that carry a
    campaign_id, plus the campaign on the lead record itself at the lead's creation (where the
    lead came from; skipped when an event of that campaign already marks that instant);
    `content` touches are the events that carry a content_id. -#}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where created_at <= {{ as_of() }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}
    where
        occurred_at <= {{ as_of() }}
        and (campaign_id is not null or content_id is not null)

),

campaign_event_touches as (

    select
        lead_id,
        'campaign' as touch_kind,
        campaign_id as touch_key,
        'event' as touch_source,
        event_id as touch_id,
        event_type,
        occurred_at as touched_at
    from events
    where campaign_id is not null

),

content_event_touches as (

    select
        lead_id,
        'content' as touch_kind,
        content_id as touch_key,
        'event' as touch_source,
        event_id as touch_id,
        event_type,
        occurred_at as touched_at
    from events
    where content_id is not null

),

lead_record_touches as (

    select
        leads.lead_id,
        'campaign' as touch_kind,
        leads.campaign_id as touch_key,
        'lead_record' as touch_source,
        leads.lead_id as touch_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        leads.created_at as touched_at
    from leads
    left join campaign_event_touches as same_touches
        on
            leads.lead_id = same_touches.lead_id
            and leads.campaign_id = same_touches.touch_key
            and leads.created_at = same_touches.touched_at
    where leads.campaign_id is not null and same_touches.lead_id is null

),

unioned as (

    select * from campaign_event_touches
    union all
    select * from content_event_touches
    union all
    select * from lead_record_touches

),

final as (

    select
        unioned.lead_id,
        unioned.touch_kind,
        unioned.touch_key,
        unioned.touch_source,
        unioned.touch_id,
        unioned.event_type,
        unioned.touched_at,
        leads.created_at as lead_created_at
    from unioned
    inner join leads
        on unioned.lead_id = leads.lead_id

)

select * from final
