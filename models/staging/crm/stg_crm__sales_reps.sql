-- The clean rows of raw.sales_reps (contract section 1), what every model downstream reads:
-- base_crm__sales_reps keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__sales_reps') }}
    where quarantine_reason is null

),

final as (

    select
        rep_id,
        full_name,
        email,
        role,
        team,
        manager_id,
        backup_rep_id,
        timezone,
        work_start_local,
        work_end_local,
        work_start_minute,
        work_end_minute,
        work_days,
        holiday_calendar,
        max_open_leads,
        routing_weight,
        is_active,
        slack_member_id
    from base

)

select * from final
