-- The clean rows of raw.holidays (contract section 1), what every model downstream reads:
-- base_crm__holidays keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__holidays') }}
    where quarantine_reason is null

),

final as (

    select
        holiday_calendar,
        holiday_date,
        holiday_name
    from base

)

select * from final
