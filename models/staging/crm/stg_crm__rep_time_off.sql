-- The clean rows of raw.rep_time_off (contract section 1), what every model downstream reads:
-- base_crm__rep_time_off keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__rep_time_off') }}
    where quarantine_reason is null

),

final as (

    select
        rep_id,
        starts_at,
        ends_at,
        reason
    from base

)

select * from final
