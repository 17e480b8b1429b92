-- The clean rows of raw.lead_acknowledgements (contract section 1), what every model downstream reads:
-- base_crm__lead_acknowledgements keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__lead_acknowledgements') }}
    where quarantine_reason is null

),

final as (

    select
        lead_id,
        rep_id,
        acknowledged_at
    from base

)

select * from final
