-- The clean rows of raw.accounts (contract section 1), what every model downstream reads:
-- base_crm__accounts keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__accounts') }}
    where quarantine_reason is null

),

final as (

    select
        account_id,
        domain,
        account_name,
        owner_rep_id,
        is_customer
    from base

)

select * from final
