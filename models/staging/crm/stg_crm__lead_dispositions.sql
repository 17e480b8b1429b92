-- The clean rows of raw.lead_dispositions (contract section 1), what every model downstream reads:
-- base_crm__lead_dispositions keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__lead_dispositions') }}
    where quarantine_reason is null

),

final as (

    select
        disposition_id,
        lead_id,
        rep_id,
        disposed_at,
        status,
        rejection_reason,
        notes
    from base

)

select * from final
