-- The clean rows of raw.marketing_events (contract section 1), what every model downstream reads:
-- base_marketing__events keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_marketing__events') }}
    where quarantine_reason is null

),

final as (

    select
        event_id,
        lead_id,
        occurred_at,
        event_type,
        campaign_id,
        content_id,
        page_url,
        form_timeline,
        form_budget_status
    from base

)

select * from final
