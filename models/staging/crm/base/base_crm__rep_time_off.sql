{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'rep_time_off') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

cleaned as (

    select
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('starts_at') }} as starts_at_text,
        {{ parse_timestamp_utc('starts_at') }} as starts_at,
        {{ clean_text('ends_at') }} as ends_at_text,
        {{ parse_timestamp_utc('ends_at') }} as ends_at,
        {{ clean_text('reason') }} as reason
    from source

),

ranked as (

    -- the same absence entered twice counts once (the reason text does not matter)
    select
        cleaned.*,
        reps.rep_id as known_rep_id,
        row_number() over (
            partition by cleaned.rep_id, cleaned.starts_at, cleaned.ends_at
            order by cleaned.reason
        ) as key_rank
    from cleaned
    left join reps
        on cleaned.rep_id = reps.rep_id

),

checked as (

    select
        *,
        case
            when rep_id is null then 'missing_required_field:rep_id'
            when starts_at_text is null then 'missing_required_field:starts_at'
            when ends_at_text is null then 'missing_required_field:ends_at'
            when starts_at is null then 'unparseable_timestamp:starts_at'
            when ends_at is null then 'unparseable_timestamp:ends_at'
            when ends_at <= starts_at then 'invalid_value:ends_at'
            when known_rep_id is null then 'orphan_foreign_key:rep_id'
            when key_rank > 1 then 'duplicate_key:starts_at'
        end as quarantine_reason
    from ranked

),

final as (

    select
        rep_id,
        starts_at,
        ends_at,
        reason,
        {{ key_text(['rep_id', 'starts_at_text']) }} as record_key,
        quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as value_issue
    from checked

)

select * from final
