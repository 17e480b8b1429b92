{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'lead_dispositions') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

cleaned as (

    select
        {{ clean_text('disposition_id') }} as disposition_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('rep_id') }} as rep_id_text,
        {{ clean_text('disposed_at') }} as disposed_at_text,
        {{ parse_timestamp_utc('disposed_at') }} as disposed_at,
        {{ clean_code('status') }} as status,
        {{ clean_code('rejection_reason') }} as rejection_reason_text,
        {{ clean_text('notes') }} as notes
    from source

),

ranked as (

    -- of several rows for one disposition id, a usable one wins (then the latest);
    -- the others are quarantined as duplicates
    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        reps.rep_id as known_rep_id,
        row_number() over (
            partition by cleaned.disposition_id
            order by
                case
                    when
                        cleaned.disposed_at is null
                        or leads.lead_id is null
                        or cleaned.status is null
                        or not {{ in_contract_enum('cleaned.status', 'disposition_status') }}
                        or (
                            cleaned.status = 'rejected'
                            and not coalesce(
                                {{ in_contract_enum('cleaned.rejection_reason_text', 'rejection_reason') }}, false
                            )
                        )
                        then 1
                    else 0
                end,
                cleaned.disposed_at desc,
                cleaned.status
        ) as key_rank
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id
    left join reps
        on cleaned.rep_id_text = reps.rep_id

),

checked as (

    select
        *,
        case
            when disposition_id is null then 'missing_required_field:disposition_id'
            when lead_id is null then 'missing_required_field:lead_id'
            when disposed_at_text is null then 'missing_required_field:disposed_at'
            when status is null then 'missing_required_field:status'
            when disposed_at is null then 'unparseable_timestamp:disposed_at'
            when key_rank > 1 then 'duplicate_key:disposition_id'
            when known_lead_id is null then 'orphan_foreign_key:lead_id'
            when not {{ in_contract_enum('status', 'disposition_status') }} then 'unknown_enum_value:status'
            -- a rejection must say why (issue 14): without a usable reason it teaches marketing nothing
            when status = 'rejected' and rejection_reason_text is null then 'missing_required_field:rejection_reason'
            when status = 'rejected' and not {{ in_contract_enum('rejection_reason_text', 'rejection_reason') }}
                then 'unknown_enum_value:rejection_reason'
        end as quarantine_reason,
        case
            when rejection_reason_text is not null
                and not {{ in_contract_enum('rejection_reason_text', 'rejection_reason') }}
                then 'unknown_enum_value:rejection_reason'
            when rep_id_text is not null and known_rep_id is null then 'orphan_foreign_key:rep_id'
        end as value_issue
    from ranked

),

final as (

    select
        disposition_id,
        lead_id,
        known_rep_id as rep_id,
        disposed_at,
        status,
        case
            when {{ in_contract_enum('rejection_reason_text', 'rejection_reason') }} then rejection_reason_text
        end as rejection_reason,
        notes,
        {{ key_text(['disposition_id']) }} as record_key,
        quarantine_reason,
        value_issue
    from checked

)

select * from final
