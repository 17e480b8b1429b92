{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'holidays') }}

),

cleaned as (

    select
        upper({{ clean_text('holiday_calendar') }}) as holiday_calendar,
        {{ clean_text('holiday_date') }} as holiday_date_text,
        {{ try_cast(clean_text('holiday_date'), 'date') }} as holiday_date,
        {{ clean_text('holiday_name') }} as holiday_name
    from source

),

ranked as (

    -- one row per calendar day; a second name for the same day is quarantined as a duplicate
    select
        *,
        row_number() over (
            partition by holiday_calendar, holiday_date
            order by holiday_name nulls last
        ) as key_rank
    from cleaned

),

checked as (

    select
        *,
        case
            when holiday_calendar is null then 'missing_required_field:holiday_calendar'
            when holiday_date_text is null then 'missing_required_field:holiday_date'
            when holiday_date is null then 'unparseable_date:holiday_date'
            when key_rank > 1 then 'duplicate_key:holiday_date'
        end as quarantine_reason
    from ranked

),

final as (

    select
        holiday_calendar,
        holiday_date,
        holiday_name,
        {{ key_text(['holiday_calendar', 'holiday_date_text']) }} as record_key,
        quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as value_issue
    from checked

)

select * from final
