-- The clean rows of raw.opportunities (contract section 1), what every model downstream reads:
-- base_crm__opportunities keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__opportunities') }}
    where quarantine_reason is null

),

final as (

    select
        opportunity_id,
        lead_id,
        account_id,
        created_at,
        stage,
        amount_usd,
        is_closed,
        is_won,
        closed_at
    from base

)

select * from final
