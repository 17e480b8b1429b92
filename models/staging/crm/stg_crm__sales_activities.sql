-- The clean rows of raw.sales_activities (contract section 1), what every model downstream reads:
-- base_crm__sales_activities keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__sales_activities') }}
    where quarantine_reason is null

),

final as (

    select
        activity_id,
        lead_id,
        rep_id,
        occurred_at,
        channel,
        direction,
        is_automated,
        is_personalized,
        call_outcome
    from base

)

select * from final
